/** core/v1 Pod: the spec (containers, volumes, placement, DNS...), the status, templates, Binding. */
import * as t from 'io-ts';
import { atomicList, atomicMap, described, enumOf, mapList, mergeList, struct } from '../codecs';
import { int32, int64, resourceList, stringMap, time } from '../scalars';
import { ConditionStatus, LocalObjectReference, ObjectReference } from './core-common';
import { Container, EphemeralContainer, ResourceRequirements } from './core-container';
import { PodSecurityContext } from './core-security';
import { Affinity, Toleration, TopologySpreadConstraint } from './core-scheduling';
import { Volume } from './core-volume';
import { ObjectMeta, resource } from './meta';

export const PodDNSConfig = struct(
  'PodDNSConfig',
  {},
  {
    nameservers: described(atomicList(t.string), 'DNS name server IP addresses, added to those of dnsPolicy.'),
    searches: described(atomicList(t.string), 'DNS search domains.'),
    options: described(atomicList(struct('PodDNSConfigOption', {}, { name: t.string, value: t.string })), 'resolv.conf options.'),
  },
);

export const HostAlias = struct(
  'HostAlias',
  { ip: described(t.string, 'IP address of the host file entry.') },
  { hostnames: described(atomicList(t.string), 'Hostnames for the IP address.') },
);

export const PodReadinessGate = struct('PodReadinessGate', {
  conditionType: described(t.string, "A condition type in the pod's condition list that must be True for readiness."),
});

export const PodSchedulingGate = struct('PodSchedulingGate', { name: described(t.string, 'Name of the scheduling gate.') });

export const PodResourceClaim = struct(
  'PodResourceClaim',
  { name: described(t.string, 'Name of the claim inside the pod.') },
  { resourceClaimName: t.string, resourceClaimTemplateName: t.string },
);

export const RestartPolicy = enumOf('RestartPolicy', ['Always', 'OnFailure', 'Never']);

export const PodSpec = struct(
  'PodSpec',
  { containers: described(mergeList(Container, 'name'), 'The containers of the pod; at least one. Cannot be updated.') },
  {
    volumes: described(mergeList(Volume, 'name', { retainKeys: true }), 'Volumes that containers of the pod can mount.'),
    initContainers: described(mergeList(Container, 'name'), 'Containers run in order, each to completion, before the app containers.'),
    ephemeralContainers: described(mergeList(EphemeralContainer, 'name'), 'Containers added to a running pod for debugging.'),
    restartPolicy: described(RestartPolicy, 'Restart policy for all containers: Always, OnFailure, Never. Defaults to Always.'),
    terminationGracePeriodSeconds: described(int64, 'Seconds the pod has to stop gracefully after SIGTERM. Defaults to 30.'),
    activeDeadlineSeconds: described(int64, 'Seconds the pod may be active before it is failed.'),
    dnsPolicy: described(
      enumOf('DNSPolicy', ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']),
      'DNS policy: ClusterFirst, ClusterFirstWithHostNet, Default or None. Defaults to ClusterFirst.',
    ),
    nodeSelector: described(atomicMap(stringMap), "Labels a node must have for the pod to be placed on it."),
    serviceAccountName: described(t.string, 'Name of the ServiceAccount the pod runs as.'),
    serviceAccount: described(t.string, 'Deprecated alias of serviceAccountName.'),
    automountServiceAccountToken: described(t.boolean, 'Whether a service account token is mounted.'),
    nodeName: described(t.string, 'The node the pod is bound to; set by placement, or by hand to skip it.'),
    hostNetwork: described(t.boolean, "Use the host's network namespace; ports are then host ports. Defaults to false."),
    hostPID: described(t.boolean, "Use the host's pid namespace."),
    hostIPC: described(t.boolean, "Use the host's ipc namespace."),
    shareProcessNamespace: described(t.boolean, 'Share one process namespace between all containers of the pod.'),
    securityContext: described(PodSecurityContext, 'Pod-level security attributes and common container settings.'),
    imagePullSecrets: described(mergeList(LocalObjectReference, 'name'), 'Secrets used to pull the images.'),
    hostname: described(t.string, "The pod's hostname; the pod name when empty."),
    subdomain: described(t.string, 'With hostname, gives the pod a fully qualified name under the Service of that name.'),
    affinity: described(Affinity, "The pod's placement constraints."),
    schedulerName: described(t.string, 'The scheduler that places the pod.'),
    tolerations: described(atomicList(Toleration), 'The taints the pod tolerates.'),
    hostAliases: described(mergeList(HostAlias, 'ip'), "Entries added to the pod's hosts file."),
    priorityClassName: described(t.string, "Name of the pod's PriorityClass."),
    priority: described(int32, 'The priority value, resolved from priorityClassName.'),
    dnsConfig: described(PodDNSConfig, 'DNS parameters merged with those of dnsPolicy.'),
    readinessGates: described(atomicList(PodReadinessGate), 'Extra conditions that must be True for the pod to be ready.'),
    runtimeClassName: described(t.string, 'Name of the RuntimeClass to run the pod with.'),
    enableServiceLinks: described(t.boolean, 'Inject Service environment variables. Defaults to true.'),
    preemptionPolicy: described(enumOf('PreemptionPolicy', ['PreemptLowerPriority', 'Never']), 'Whether the pod may preempt lower-priority pods.'),
    overhead: described(resourceList, 'Resources the pod sandbox itself uses.'),
    topologySpreadConstraints: described(
      mergeList(TopologySpreadConstraint, 'topologyKey', { mapKeys: ['topologyKey', 'whenUnsatisfiable'] }),
      'How matching pods spread across topology domains.',
    ),
    setHostnameAsFQDN: described(t.boolean, "Use the pod's FQDN as its hostname."),
    os: described(struct('PodOS', { name: described(t.string, 'linux or windows.') }), 'The operating system of the containers.'),
    hostUsers: described(t.boolean, "Use the host's user namespace. Defaults to true."),
    schedulingGates: described(mergeList(PodSchedulingGate, 'name'), 'While any is present the pod is not placed.'),
    resourceClaims: described(mergeList(PodResourceClaim, 'name', { retainKeys: true }), 'Dynamically allocated resources the pod needs.'),
    resources: described(ResourceRequirements, 'Total resources of the pod (pod-level resources).'),
  },
);
export type PodSpec = t.TypeOf<typeof PodSpec>;

export const PodCondition = struct(
  'PodCondition',
  {
    type: described(t.string, 'PodScheduled, Initialized, ContainersReady, Ready, ...'),
    status: described(ConditionStatus, 'True, False or Unknown.'),
  },
  {
    lastProbeTime: described(time, 'When the condition was last probed.'),
    lastTransitionTime: described(time, 'When the status last changed.'),
    reason: described(t.string, 'A CamelCase reason for the last transition.'),
    message: described(t.string, 'A human readable message about the last transition.'),
  },
);
export type PodCondition = t.TypeOf<typeof PodCondition>;

export const ContainerState = struct(
  'ContainerState',
  {},
  {
    waiting: described(struct('ContainerStateWaiting', {}, { reason: t.string, message: t.string }), 'The container is not running yet.'),
    running: described(struct('ContainerStateRunning', {}, { startedAt: time }), 'The container is running.'),
    terminated: described(
      struct(
        'ContainerStateTerminated',
        { exitCode: described(int32, 'Exit status of the last termination.') },
        {
          signal: int32,
          reason: t.string,
          message: t.string,
          startedAt: time,
          finishedAt: time,
          containerID: t.string,
        },
      ),
      'The container has terminated.',
    ),
  },
);
export type ContainerState = t.TypeOf<typeof ContainerState>;

export const VolumeMountStatus = struct(
  'VolumeMountStatus',
  { name: t.string, mountPath: t.string },
  { readOnly: t.boolean, recursiveReadOnly: t.string },
);

export const ResourceStatus = struct(
  'ResourceStatus',
  { name: t.string },
  { resources: mapList(struct('ResourceHealth', { resourceID: t.string }, { health: t.string }), ['resourceID']) },
);

export const ContainerUser = struct(
  'ContainerUser',
  {},
  { linux: struct('LinuxContainerUser', { uid: int64, gid: int64 }, { supplementalGroups: atomicList(int64) }) },
);

export const ContainerStatus = struct(
  'ContainerStatus',
  {
    name: described(t.string, 'Name of the container.'),
    ready: described(t.boolean, 'Whether the container passes its readiness probe.'),
    restartCount: described(int32, 'How many times the container has been restarted.'),
    image: described(t.string, 'The image the container runs.'),
    imageID: described(t.string, 'The image ID the container runs.'),
  },
  {
    state: described(ContainerState, "The container's current state."),
    lastState: described(ContainerState, "The container's last termination."),
    containerID: described(t.string, 'The runtime ID of the container, <type>://<id>.'),
    started: described(t.boolean, 'Whether the container has passed its startup probe.'),
    allocatedResources: resourceList,
    resources: ResourceRequirements,
    volumeMounts: mergeList(VolumeMountStatus, 'mountPath'),
    user: described(ContainerUser, 'The identity the first process of the container runs as.'),
    allocatedResourcesStatus: mergeList(ResourceStatus, 'name'),
  },
);
export type ContainerStatus = t.TypeOf<typeof ContainerStatus>;

const IP = (name: string) => struct(name, { ip: described(t.string, 'An IP address.') });

export const PodStatus = struct(
  'PodStatus',
  {},
  {
    phase: described(enumOf('PodPhase', ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']), 'Where the pod is in its lifecycle.'),
    conditions: described(mergeList(PodCondition, 'type'), 'Current service state of the pod.'),
    message: described(t.string, 'Why the pod is in this condition.'),
    reason: described(t.string, 'A CamelCase reason, e.g. Evicted.'),
    nominatedNodeName: described(t.string, 'The node the pod is expected to go to after preemption.'),
    hostIP: described(t.string, 'IP address of the node the pod runs on.'),
    hostIPs: described(mergeList(IP('HostIP'), 'ip', { atomic: true }), 'IP addresses of the node the pod runs on.'),
    podIP: described(t.string, 'IP address of the pod.'),
    podIPs: described(mergeList(IP('PodIP'), 'ip'), 'IP addresses of the pod, the first equal to podIP.'),
    startTime: described(time, 'When the node acknowledged the pod, before images were pulled.'),
    initContainerStatuses: described(atomicList(ContainerStatus), 'One status per init container.'),
    containerStatuses: described(atomicList(ContainerStatus), 'One status per container.'),
    qosClass: described(enumOf('PodQOSClass', ['Guaranteed', 'Burstable', 'BestEffort']), 'Quality of service class, from the resources.'),
    ephemeralContainerStatuses: described(atomicList(ContainerStatus), 'One status per ephemeral container.'),
    resize: described(t.string, 'Status of a requested resize of container resources.'),
    resourceClaimStatuses: described(
      mergeList(struct('PodResourceClaimStatus', { name: t.string }, { resourceClaimName: t.string }), 'name', { retainKeys: true }),
      'Names of the ResourceClaims generated for the pod.',
    ),
  },
);
export type PodStatus = t.TypeOf<typeof PodStatus>;

export const Pod = resource(
  'v1',
  'Pod',
  'Pod is a collection of containers that run together on one node.',
  {},
  {
    spec: described(PodSpec, 'The desired behaviour of the pod.'),
    status: described(PodStatus, 'The most recently observed status of the pod; written by the node agent.'),
  },
);
export type Pod = t.TypeOf<typeof Pod>;

export const PodTemplateSpec = struct(
  'PodTemplateSpec',
  {},
  {
    metadata: described(ObjectMeta, 'Metadata of the pods created from this template.'),
    spec: described(PodSpec, 'Specification of the pods created from this template.'),
  },
);
export type PodTemplateSpec = t.TypeOf<typeof PodTemplateSpec>;

/** The body of POST pods/<name>/binding: binds a pod to a node. */
export const Binding = resource(
  'v1',
  'Binding',
  'Binding ties a pod to a node; placement posts it to pods/<name>/binding.',
  { target: described(ObjectReference, 'The node to bind to.') },
  {},
);
export type Binding = t.TypeOf<typeof Binding>;
