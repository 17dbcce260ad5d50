/**
 * core/v1 PersistentVolumeClaim (storage a pod asks for) and PersistentVolume (storage an
 * administrator or a provisioner provides). The claim's spec lives in core-volume.ts, because
 * ephemeral volumes embed it too. As for pod volumes, the legacy in-tree sources of a
 * PersistentVolume decode as given (kept, not checked).
 */
import * as t from 'io-ts';
import { atomicList, atomicMap, described, enumOf, mapOf, mergeList, preserveUnknown, struct, withSchema } from '../codecs';
import { resourceList, stringMap, time } from '../scalars';
import { ConditionStatus, ObjectReference } from './core-common';
import { NodeSelector } from './core-scheduling';
import { HostPathVolumeSource, NFSVolumeSource, PersistentVolumeAccessMode, PersistentVolumeClaimSpec, PersistentVolumeMode } from './core-volume';
import { resource } from './meta';

export const PersistentVolumeClaimCondition = struct(
  'PersistentVolumeClaimCondition',
  {
    type: described(t.string, 'Resizing, FileSystemResizePending, ControllerResizeError, NodeResizeError, ModifyVolumeError or ModifyingVolume.'),
    status: described(ConditionStatus, 'True, False or Unknown.'),
  },
  {
    lastProbeTime: described(time, 'When the condition was last probed.'),
    lastTransitionTime: described(time, 'When the status last changed.'),
    reason: described(t.string, 'A CamelCase reason for the last transition; Resizing while the volume is resized.'),
    message: described(t.string, 'A human readable message about the last transition.'),
  },
);

const ClaimResourceStatus = enumOf('ClaimResourceStatus', [
  'ControllerResizeInProgress',
  'ControllerResizeInfeasible',
  'NodeResizePending',
  'NodeResizeInProgress',
  'NodeResizeInfeasible',
]);

export const ModifyVolumeStatus = struct(
  'ModifyVolumeStatus',
  {
    status: described(
      enumOf('PersistentVolumeClaimModifyVolumeStatus', ['Pending', 'InProgress', 'Infeasible']),
      'Pending, InProgress or Infeasible: where the ControllerModifyVolume operation is.',
    ),
  },
  { targetVolumeAttributesClassName: described(t.string, 'The VolumeAttributesClass the claim is being changed to.') },
);

export const PersistentVolumeClaimStatus = struct(
  'PersistentVolumeClaimStatus',
  {},
  {
    phase: described(enumOf('PersistentVolumeClaimPhase', ['Pending', 'Bound', 'Lost']), 'Pending, Bound or Lost.'),
    accessModes: described(atomicList(PersistentVolumeAccessMode), 'The access modes the volume backing the claim has.'),
    capacity: described(resourceList, 'The actual resources of the volume backing the claim.'),
    conditions: described(mergeList(PersistentVolumeClaimCondition, 'type'), 'The current conditions of the claim.'),
    allocatedResources: described(resourceList, 'The resources allocated to the claim, its capacity included.'),
    allocatedResourceStatuses: withSchema(mapOf(ClaimResourceStatus), {
      description: 'The state of a resize of each resource, while one is in progress.',
      'x-kubernetes-map-type': 'granular',
    }),
    currentVolumeAttributesClassName: described(t.string, 'The VolumeAttributesClass the claim uses now.'),
    modifyVolumeStatus: described(ModifyVolumeStatus, 'The state of a ControllerModifyVolume operation, when one is attempted.'),
  },
);
export type PersistentVolumeClaimStatus = t.TypeOf<typeof PersistentVolumeClaimStatus>;

export const PersistentVolumeClaim = resource(
  'v1',
  'PersistentVolumeClaim',
  "PersistentVolumeClaim is a user's request for and claim to a persistent volume.",
  {},
  {
    spec: described(PersistentVolumeClaimSpec, 'The volume the claim asks for.'),
    status: described(PersistentVolumeClaimStatus, 'The current status of the claim; written by the volume controller.'),
  },
);
export type PersistentVolumeClaim = t.TypeOf<typeof PersistentVolumeClaim>;

export const LocalVolumeSource = struct(
  'LocalVolumeSource',
  { path: described(t.string, 'Full path of the volume on the node: a directory or a block device.') },
  { fsType: described(t.string, 'Filesystem to mount a block device with. Defaults to one the system picks.') },
);

export const SecretReference = atomicMap(
  struct(
    'SecretReference',
    {},
    {
      name: described(t.string, 'Name of the secret, unique within its namespace.'),
      namespace: described(t.string, 'Namespace of the secret.'),
    },
  ),
);

const secretRef = (what: string) => described(SecretReference, `The secret passed to the CSI driver to ${what}; may be empty.`);

export const CSIPersistentVolumeSource = struct(
  'CSIPersistentVolumeSource',
  {
    driver: described(t.string, 'Name of the CSI driver that handles this volume.'),
    volumeHandle: described(t.string, 'The unique volume name the CSI driver returned when it created the volume.'),
  },
  {
    readOnly: described(t.boolean, 'Publish the volume read-only. Defaults to false.'),
    fsType: described(t.string, 'Filesystem to mount, e.g. ext4 or xfs.'),
    volumeAttributes: described(stringMap, 'Driver-specific properties of the volume.'),
    controllerPublishSecretRef: secretRef('publish the volume'),
    nodeStageSecretRef: secretRef('stage the volume'),
    nodePublishSecretRef: secretRef('mount the volume'),
    controllerExpandSecretRef: secretRef('expand the volume'),
    nodeExpandSecretRef: secretRef('expand the volume on the node'),
  },
);

export const VolumeNodeAffinity = struct('VolumeNodeAffinity', {}, { required: described(NodeSelector, 'The nodes the volume can be used from.') });

/** In-tree sources berth does not interpret; accepted as given so manifests still apply. */
const kept = described(preserveUnknown, 'Not interpreted by berth; kept as given.');

/** The members of upstream's inline PersistentVolumeSource, exactly one of which is set. */
const persistentVolumeSources = {
  hostPath: described(HostPathVolumeSource, 'A directory on the host; for single-node development and testing only.'),
  nfs: described(NFSVolumeSource, 'An NFS mount on the host.'),
  local: described(LocalVolumeSource, 'Storage attached directly to a node; needs nodeAffinity.'),
  csi: described(CSIPersistentVolumeSource, 'Storage handled by a CSI driver.'),
  gcePersistentDisk: kept,
  awsElasticBlockStore: kept,
  glusterfs: kept,
  rbd: kept,
  iscsi: kept,
  cinder: kept,
  cephfs: kept,
  fc: kept,
  flocker: kept,
  flexVolume: kept,
  azureFile: kept,
  vsphereVolume: kept,
  quobyte: kept,
  azureDisk: kept,
  photonPersistentDisk: kept,
  portworxVolume: kept,
  scaleIO: kept,
  storageos: kept,
};

/** The names of the volume sources of a PersistentVolume spec, for the one-source rule. */
export const PERSISTENT_VOLUME_SOURCES: readonly string[] = Object.keys(persistentVolumeSources);

export const PersistentVolumeReclaimPolicy = enumOf('PersistentVolumeReclaimPolicy', ['Delete', 'Recycle', 'Retain']);

export const PersistentVolumeSpec = struct(
  'PersistentVolumeSpec',
  {},
  {
    capacity: described(resourceList, "The volume's resources; storage is its size."),
    ...persistentVolumeSources,
    accessModes: described(atomicList(PersistentVolumeAccessMode), 'All the ways the volume can be mounted.'),
    claimRef: described(ObjectReference, 'The claim bound to this volume; set when bound.'),
    persistentVolumeReclaimPolicy: described(
      PersistentVolumeReclaimPolicy,
      'What happens to the volume when its claim is released: Retain, Delete or Recycle (deprecated). Defaults to Retain.',
    ),
    storageClassName: described(t.string, 'Name of the StorageClass the volume belongs to; empty for none.'),
    mountOptions: described(atomicList(t.string), 'Mount options, e.g. ro or soft; not validated.'),
    volumeMode: described(PersistentVolumeMode, 'Filesystem or Block. Defaults to Filesystem.'),
    nodeAffinity: described(VolumeNodeAffinity, 'The nodes the volume can be used from; pods using it are placed accordingly.'),
    volumeAttributesClassName: described(t.string, 'Name of the VolumeAttributesClass the volume belongs to.'),
  },
);
export type PersistentVolumeSpec = t.TypeOf<typeof PersistentVolumeSpec>;

export const PersistentVolumeStatus = struct(
  'PersistentVolumeStatus',
  {},
  {
    phase: described(enumOf('PersistentVolumePhase', ['Pending', 'Available', 'Bound', 'Released', 'Failed']), 'Pending, Available, Bound, Released or Failed.'),
    message: described(t.string, 'A human readable message about why the volume is in this state.'),
    reason: described(t.string, 'A CamelCase reason for a failure.'),
    lastPhaseTransitionTime: described(time, 'When the phase last changed.'),
  },
);
export type PersistentVolumeStatus = t.TypeOf<typeof PersistentVolumeStatus>;

export const PersistentVolume = resource(
  'v1',
  'PersistentVolume',
  'PersistentVolume is a piece of storage provisioned by an administrator or a provisioner, bound to at most one claim.',
  {},
  {
    spec: described(PersistentVolumeSpec, 'The volume, as provisioned.'),
    status: described(PersistentVolumeStatus, 'The current status of the volume; written by the volume controller.'),
  },
);
export type PersistentVolume = t.TypeOf<typeof PersistentVolume>;
