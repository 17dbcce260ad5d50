/** The core (v1) kinds. Short names and categories are upstream's, so kubectl resolves them alike. */
import {
  ConfigMap,
  Endpoints,
  Event,
  LimitRange,
  Namespace,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  ReplicationController,
  ResourceQuota,
  Secret,
  Service,
  ServiceAccount,
} from '../src/api/types';
import { declare, replicasScale } from './builtin';
import { age, templateColumns } from './columns';

export const namespaces = declare(Namespace, {
  plural: 'namespaces',
  shortNames: ['ns'],
  scope: 'Cluster',
  nameRule: 'dns1123-label',
  printerColumns: [{ name: 'Status', type: 'string', jsonPath: '.status.phase', description: 'The status of the namespace' }, age],
});

export const nodes = declare(Node, {
  plural: 'nodes',
  shortNames: ['no'],
  scope: 'Cluster',
  printerColumns: [
    { name: 'Status', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status', description: 'The status of the node' },
    { name: 'Roles', type: 'string', jsonPath: '.metadata.labels', description: 'The roles of the node' },
    age,
    { name: 'Version', type: 'string', jsonPath: '.status.nodeInfo.kubeletVersion', description: 'Version of the node agent.' },
    { name: 'Internal-IP', type: 'string', priority: 1, jsonPath: '.status.addresses[?(@.type=="InternalIP")].address', description: 'Addresses reachable to the node.' },
    { name: 'External-IP', type: 'string', priority: 1, jsonPath: '.status.addresses[?(@.type=="ExternalIP")].address', description: 'Addresses reachable to the node.' },
    { name: 'OS-Image', type: 'string', priority: 1, jsonPath: '.status.nodeInfo.osImage', description: 'OS image reported by the node.' },
    { name: 'Kernel-Version', type: 'string', priority: 1, jsonPath: '.status.nodeInfo.kernelVersion', description: 'Kernel version reported by the node.' },
    { name: 'Container-Runtime', type: 'string', priority: 1, jsonPath: '.status.nodeInfo.containerRuntimeVersion', description: 'Container runtime version reported by the node.' },
  ],
});

/** READY, STATUS and RESTARTS are computed by the server; the paths say where the facts come from. */
export const pods = declare(Pod, {
  plural: 'pods',
  shortNames: ['po'],
  categories: ['all'],
  scope: 'Namespaced',
  printerColumns: [
    { name: 'Ready', type: 'string', jsonPath: '.status.containerStatuses[*].ready', description: 'The aggregate readiness state of this pod for accepting traffic.' },
    { name: 'Status', type: 'string', jsonPath: '.status.phase', description: 'The aggregate status of the containers in this pod.' },
    {
      name: 'Restarts',
      type: 'string',
      jsonPath: '.status.containerStatuses[*].restartCount',
      description: 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    },
    age,
    { name: 'IP', type: 'string', priority: 1, jsonPath: '.status.podIP', description: 'IP address allocated to the pod.' },
    { name: 'Node', type: 'string', priority: 1, jsonPath: '.spec.nodeName', description: 'The node the pod is bound to.' },
    { name: 'Nominated Node', type: 'string', priority: 1, jsonPath: '.status.nominatedNodeName', description: 'The node the pod is expected to go to after preemption.' },
    { name: 'Readiness Gates', type: 'string', priority: 1, jsonPath: '.spec.readinessGates[*].conditionType', description: 'Extra conditions for pod readiness.' },
  ],
});

export const services = declare(Service, {
  plural: 'services',
  shortNames: ['svc'],
  categories: ['all'],
  scope: 'Namespaced',
  nameRule: 'dns1035-label',
  printerColumns: [
    { name: 'Type', type: 'string', jsonPath: '.spec.type', description: 'How the Service is exposed.' },
    { name: 'Cluster-IP', type: 'string', jsonPath: '.spec.clusterIP', description: 'The virtual IP of the Service.' },
    { name: 'External-IP', type: 'string', jsonPath: '.spec.externalIPs', description: 'Node IPs that also accept traffic for this Service.' },
    { name: 'Port(s)', type: 'string', jsonPath: '.spec.ports[*].port', description: 'The ports this Service exposes.' },
    age,
    { name: 'Selector', type: 'string', priority: 1, jsonPath: '.spec.selector', description: 'Traffic goes to the pods whose labels match.' },
  ],
});

export const endpoints = declare(Endpoints, {
  plural: 'endpoints',
  singular: 'endpoints',
  shortNames: ['ep'],
  scope: 'Namespaced',
  printerColumns: [
    { name: 'Endpoints', type: 'string', jsonPath: '.subsets[*].addresses[*].ip', description: 'Sets of addresses and ports that make up the Service.' },
    age,
  ],
});

export const events = declare(Event, {
  plural: 'events',
  shortNames: ['ev'],
  scope: 'Namespaced',
  printerColumns: [
    { name: 'Last Seen', type: 'date', jsonPath: '.lastTimestamp', description: 'When the most recent occurrence was recorded.' },
    { name: 'Type', type: 'string', jsonPath: '.type', description: 'Normal or Warning.' },
    { name: 'Reason', type: 'string', jsonPath: '.reason', description: 'Why the event happened.' },
    { name: 'Object', type: 'string', jsonPath: '.involvedObject.name', description: 'The object this event is about.' },
    { name: 'Subobject', type: 'string', priority: 1, jsonPath: '.involvedObject.fieldPath', description: 'A piece of the object.' },
    { name: 'Source', type: 'string', priority: 1, jsonPath: '.source.component', description: 'The component reporting this event.' },
    { name: 'Message', type: 'string', jsonPath: '.message', description: 'A human-readable description of the event.' },
    { name: 'First Seen', type: 'date', priority: 1, jsonPath: '.firstTimestamp', description: 'When the event was first recorded.' },
    { name: 'Count', type: 'integer', priority: 1, jsonPath: '.count', description: 'How many times the event has occurred.' },
  ],
});

export const configMaps = declare(ConfigMap, {
  plural: 'configmaps',
  shortNames: ['cm'],
  scope: 'Namespaced',
  printerColumns: [{ name: 'Data', type: 'string', jsonPath: '.data', description: 'Number of data keys.' }, age],
});

export const secrets = declare(Secret, {
  plural: 'secrets',
  scope: 'Namespaced',
  printerColumns: [
    { name: 'Type', type: 'string', jsonPath: '.type', description: 'The type of the secret.' },
    { name: 'Data', type: 'string', jsonPath: '.data', description: 'Number of data keys.' },
    age,
  ],
});

export const replicationControllers = declare(ReplicationController, {
  plural: 'replicationcontrollers',
  shortNames: ['rc'],
  categories: ['all'],
  scope: 'Namespaced',
  scale: replicasScale,
  unmanaged: 'berth stores ReplicationControllers but no controller acts on them yet: no pods are created',
  printerColumns: [
    { name: 'Desired', type: 'integer', jsonPath: '.spec.replicas', description: 'Number of desired pods.' },
    { name: 'Current', type: 'integer', jsonPath: '.status.replicas', description: 'The most recently observed number of pods.' },
    { name: 'Ready', type: 'integer', jsonPath: '.status.readyReplicas', description: 'Pods that are ready.' },
    age,
    ...templateColumns('.spec.template', '.spec.selector'),
  ],
});

const volumeMode = { name: 'VolumeMode', type: 'string', priority: 1, jsonPath: '.spec.volumeMode', description: 'Filesystem or Block.' } as const;

/** ACCESS MODES (RWO,ROX) and CAPACITY (only once bound) are computed by the server. */
export const persistentVolumeClaims = declare(PersistentVolumeClaim, {
  plural: 'persistentvolumeclaims',
  shortNames: ['pvc'],
  scope: 'Namespaced',
  unmanaged: 'berth stores PersistentVolumeClaims but no controller binds or provisions them yet: they stay Pending',
  printerColumns: [
    { name: 'Status', type: 'string', jsonPath: '.status.phase', description: 'Pending, Bound or Lost.' },
    { name: 'Volume', type: 'string', jsonPath: '.spec.volumeName', description: 'The PersistentVolume backing the claim.' },
    { name: 'Capacity', type: 'string', jsonPath: '.status.capacity.storage', description: 'The actual size of the volume backing the claim.' },
    { name: 'Access Modes', type: 'string', jsonPath: '.status.accessModes', description: 'The access modes the volume backing the claim has.' },
    { name: 'StorageClass', type: 'string', jsonPath: '.spec.storageClassName', description: 'StorageClass of the pvc' },
    { name: 'VolumeAttributesClass', type: 'string', jsonPath: '.spec.volumeAttributesClassName', description: 'VolumeAttributesClass of the pvc' },
    age,
    volumeMode,
  ],
});

/** ACCESS MODES and CLAIM (namespace/name) are computed by the server. */
export const persistentVolumes = declare(PersistentVolume, {
  plural: 'persistentvolumes',
  shortNames: ['pv'],
  scope: 'Cluster',
  unmanaged: 'berth stores PersistentVolumes but no controller binds them to claims yet',
  printerColumns: [
    { name: 'Capacity', type: 'string', jsonPath: '.spec.capacity.storage', description: 'The size of the volume.' },
    { name: 'Access Modes', type: 'string', jsonPath: '.spec.accessModes', description: 'All the ways the volume can be mounted.' },
    { name: 'Reclaim Policy', type: 'string', jsonPath: '.spec.persistentVolumeReclaimPolicy', description: 'What happens to the volume when its claim is released.' },
    { name: 'Status', type: 'string', jsonPath: '.status.phase', description: 'Pending, Available, Bound, Released or Failed.' },
    { name: 'Claim', type: 'string', jsonPath: '.spec.claimRef.name', description: 'The claim bound to the volume.' },
    { name: 'StorageClass', type: 'string', jsonPath: '.spec.storageClassName', description: 'StorageClass of the pv' },
    { name: 'VolumeAttributesClass', type: 'string', jsonPath: '.spec.volumeAttributesClassName', description: 'VolumeAttributesClass of the pv' },
    { name: 'Reason', type: 'string', jsonPath: '.status.reason', description: 'A CamelCase reason for a failure.' },
    age,
    volumeMode,
  ],
});

export const serviceAccounts = declare(ServiceAccount, {
  plural: 'serviceaccounts',
  shortNames: ['sa'],
  scope: 'Namespaced',
  unmanaged: 'berth stores ServiceAccounts but mounts no service account tokens into pods and issues none yet',
  printerColumns: [{ name: 'Secrets', type: 'string', jsonPath: '.secrets', description: 'Number of secrets listed by the service account.' }, age],
});

/** REQUEST and LIMIT ("pods: 0/10", used/hard per resource, limits.* apart) are computed by the server. */
export const resourceQuotas = declare(ResourceQuota, {
  plural: 'resourcequotas',
  shortNames: ['quota'],
  scope: 'Namespaced',
  unmanaged: 'berth stores ResourceQuotas but does not count usage or refuse objects over quota yet',
  printerColumns: [
    age,
    { name: 'Request', type: 'string', jsonPath: '.status.hard', description: 'Request represents a minimum amount of cpu/memory that a container may consume.' },
    { name: 'Limit', type: 'string', jsonPath: '.status.used', description: 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.' },
  ],
});

/** Upstream has no printer for LimitRanges: its default table shows Name and the creation time itself. */
export const limitRanges = declare(LimitRange, {
  plural: 'limitranges',
  shortNames: ['limits'],
  scope: 'Namespaced',
  unmanaged: 'berth stores LimitRanges but does not default or bound the resources of pods and claims by them yet',
  printerColumns: [
    { name: 'Created At', type: 'string', format: 'date-time', jsonPath: '.metadata.creationTimestamp', description: 'When the limit range was created.' },
  ],
});
