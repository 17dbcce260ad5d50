/** core/v1 Container: image, command, ports, environment, resources, mounts, probes, security. */
import * as t from 'io-ts';
import { atomicList, described, enumOf, mapList, mergeList, struct, withSchema } from '../codecs';
import { int32, quantity, resourceList } from '../scalars';
import { Protocol } from './core-common';
import { Lifecycle, Probe } from './core-probes';
import { SecurityContext } from './core-security';

export const ContainerPort = struct(
  'ContainerPort',
  { containerPort: described(int32, "Port to expose on the pod's IP address (0 < x < 65536).") },
  {
    name: described(t.string, 'An IANA_SVC_NAME, unique within the pod, that Services can refer to.'),
    hostPort: described(int32, 'Port to expose on the host; most containers do not need this.'),
    protocol: withSchema(Protocol, { description: 'UDP, TCP, or SCTP. Defaults to TCP.', default: 'TCP' }),
    hostIP: described(t.string, 'Host IP to bind the host port to.'),
  },
);
export type ContainerPort = t.TypeOf<typeof ContainerPort>;

export const ObjectFieldSelector = struct(
  'ObjectFieldSelector',
  { fieldPath: described(t.string, 'Path of the field to select, e.g. metadata.name or status.podIP.') },
  { apiVersion: described(t.string, 'Version of the schema the fieldPath is written in. Defaults to v1.') },
);

export const ResourceFieldSelector = struct(
  'ResourceFieldSelector',
  { resource: described(t.string, 'Required: resource to select, e.g. limits.cpu.') },
  {
    containerName: described(t.string, 'Container name; required for volumes.'),
    divisor: described(quantity, 'The output format of the exposed resources. Defaults to 1.'),
  },
);

const keySelector = (kind: string) =>
  struct(
    `${kind}KeySelector`,
    { key: described(t.string, `The key to select from the ${kind}.`) },
    {
      name: described(t.string, `Name of the ${kind}.`),
      optional: described(t.boolean, `Whether the ${kind} or its key may be missing.`),
    },
  );
export const ConfigMapKeySelector = keySelector('ConfigMap');
export const SecretKeySelector = keySelector('Secret');

export const EnvVarSource = struct(
  'EnvVarSource',
  {},
  {
    fieldRef: described(ObjectFieldSelector, "A field of the pod: metadata.name, metadata.namespace, metadata.labels['<KEY>'], spec.nodeName, status.podIP..."),
    resourceFieldRef: described(ResourceFieldSelector, 'A resource of the container: limits and requests.'),
    configMapKeyRef: described(ConfigMapKeySelector, 'A key of a ConfigMap.'),
    secretKeyRef: described(SecretKeySelector, "A key of a Secret in the pod's namespace."),
  },
);

export const EnvVar = struct(
  'EnvVar',
  { name: described(t.string, 'Name of the environment variable.') },
  {
    value: described(t.string, 'Value, with $(VAR_NAME) references expanded. Defaults to "".'),
    valueFrom: described(EnvVarSource, 'Source of the value; cannot be used with value.'),
  },
);
export type EnvVar = t.TypeOf<typeof EnvVar>;

const envSource = (kind: string) =>
  struct(
    `${kind}EnvSource`,
    {},
    {
      name: described(t.string, `Name of the ${kind}.`),
      optional: described(t.boolean, `Whether the ${kind} may be missing.`),
    },
  );

export const EnvFromSource = struct(
  'EnvFromSource',
  {},
  {
    prefix: described(t.string, 'A prefix prepended to each key.'),
    configMapRef: described(envSource('ConfigMap'), 'The ConfigMap to take every key from.'),
    secretRef: described(envSource('Secret'), 'The Secret to take every key from.'),
  },
);

export const ResourceClaim = struct(
  'ResourceClaim',
  { name: described(t.string, 'Name of an entry in pod.spec.resourceClaims.') },
  { request: described(t.string, 'Name of a request in the claim.') },
);

export const ResourceRequirements = struct(
  'ResourceRequirements',
  {},
  {
    limits: described(resourceList, 'The maximum amount of compute resources allowed.'),
    requests: described(resourceList, 'The minimum amount of compute resources required; placement uses these.'),
    claims: described(mapList(ResourceClaim, ['name']), 'Dynamically allocated resources used by this container.'),
  },
);
export type ResourceRequirements = t.TypeOf<typeof ResourceRequirements>;

export const ContainerResizePolicy = struct('ContainerResizePolicy', {
  resourceName: described(t.string, 'Name of the resource: cpu or memory.'),
  restartPolicy: described(enumOf('ResourceResizeRestartPolicy', ['NotRequired', 'RestartContainer']), 'What to do when the resource is resized.'),
});

export const VolumeMount = struct(
  'VolumeMount',
  {
    name: described(t.string, 'The name of a volume of the pod.'),
    mountPath: described(t.string, "Path within the container at which the volume is mounted; must not contain ':'."),
  },
  {
    readOnly: described(t.boolean, 'Mounted read-only if true. Defaults to false.'),
    recursiveReadOnly: described(enumOf('RecursiveReadOnlyMode', ['Disabled', 'IfPossible', 'Enabled']), 'Whether read-only mounts are read-only recursively.'),
    subPath: described(t.string, "Path within the volume to mount. Defaults to the volume's root."),
    mountPropagation: described(enumOf('MountPropagationMode', ['None', 'HostToContainer', 'Bidirectional']), 'How mounts propagate between host and container.'),
    subPathExpr: described(t.string, 'Like subPath, with $(VAR_NAME) references expanded.'),
  },
);
export type VolumeMount = t.TypeOf<typeof VolumeMount>;

export const VolumeDevice = struct('VolumeDevice', {
  name: described(t.string, 'The name of a persistentVolumeClaim of the pod.'),
  devicePath: described(t.string, 'Path inside the container the device is mapped to.'),
});

export const PullPolicy = enumOf('PullPolicy', ['Always', 'Never', 'IfNotPresent']);

/** Every field of a container; ephemeral containers add targetContainerName. */
const containerFields = {
  image: described(t.string, 'Container image name.'),
  command: described(atomicList(t.string), "Entrypoint array, not run in a shell; the image's ENTRYPOINT when empty."),
  args: described(atomicList(t.string), "Arguments to the entrypoint; the image's CMD when empty."),
  workingDir: described(t.string, "Container's working directory; the image's when empty."),
  ports: described(
    mergeList(ContainerPort, 'containerPort', { mapKeys: ['containerPort', 'protocol'] }),
    'Ports to expose from the container; informational, except for hostPort.',
  ),
  envFrom: described(atomicList(EnvFromSource), 'Sources of environment variables; env wins on duplicate keys.'),
  env: described(mergeList(EnvVar, 'name'), 'Environment variables to set in the container.'),
  resources: described(ResourceRequirements, 'Compute resources required by this container.'),
  resizePolicy: described(atomicList(ContainerResizePolicy), 'Resize policy for the container resources.'),
  restartPolicy: described(enumOf('ContainerRestartPolicy', ['Always']), 'Only for init containers: Always makes it a sidecar.'),
  volumeMounts: described(mergeList(VolumeMount, 'mountPath'), "Pod volumes to mount into the container's filesystem."),
  volumeDevices: described(mergeList(VolumeDevice, 'devicePath'), 'Block devices to be used by the container.'),
  livenessProbe: described(Probe, 'Periodic probe of container liveness; the container restarts when it fails.'),
  readinessProbe: described(Probe, 'Periodic probe of container readiness; the pod leaves Service endpoints when it fails.'),
  startupProbe: described(Probe, 'Holds off the other probes until the container has started.'),
  lifecycle: described(Lifecycle, 'Actions to take on container start and stop.'),
  terminationMessagePath: described(t.string, 'File the termination message is read from. Defaults to /dev/termination-log.'),
  terminationMessagePolicy: described(enumOf('TerminationMessagePolicy', ['File', 'FallbackToLogsOnError']), 'How the termination message is read.'),
  imagePullPolicy: described(PullPolicy, 'Always, Never, IfNotPresent. Defaults to Always for :latest, IfNotPresent otherwise.'),
  securityContext: described(SecurityContext, 'Security options the container runs with.'),
  stdin: described(t.boolean, 'Allocate a buffer for stdin.'),
  stdinOnce: described(t.boolean, 'Close stdin after the first attach session ends.'),
  tty: described(t.boolean, 'Allocate a TTY; needs stdin.'),
};

export const Container = struct(
  'Container',
  { name: described(t.string, 'Name of the container, a DNS_LABEL unique within the pod.') },
  containerFields,
);
export type Container = t.TypeOf<typeof Container>;

export const EphemeralContainer = struct(
  'EphemeralContainer',
  { name: described(t.string, 'Name of the ephemeral container, unique among all containers of the pod.') },
  { ...containerFields, targetContainerName: described(t.string, 'The container whose namespaces this one joins.') },
);
export type EphemeralContainer = t.TypeOf<typeof EphemeralContainer>;
