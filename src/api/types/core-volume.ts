/**
 * core/v1 Volume: a name and one source. berth interprets the common sources; the cloud and
 * legacy in-tree sources decode as given (kept, not checked) so manifests carrying them still
 * apply unchanged.
 */
import * as t from 'io-ts';
import { atomicList, described, enumOf, preserveUnknown, struct } from '../codecs';
import { int32, int64, quantity, resourceList, stringMap } from '../scalars';
import { LocalObjectReference, TypedLocalObjectReference } from './core-common';
import { ObjectFieldSelector, PullPolicy, ResourceFieldSelector } from './core-container';
import { LabelSelector, ObjectMeta } from './meta';

export const KeyToPath = struct(
  'KeyToPath',
  {
    key: described(t.string, 'The key to project.'),
    path: described(t.string, "The relative path of the file to map the key to; may not contain '..'."),
  },
  { mode: described(int32, 'Mode bits for this file, 0000 to 0777 (octal) or 0 to 511 (decimal).') },
);

const items = described(atomicList(KeyToPath), 'Keys to project, each to a path; without it every key becomes a file named after it.');

export const HostPathVolumeSource = struct(
  'HostPathVolumeSource',
  { path: described(t.string, 'Path of the directory on the host.') },
  {
    type: described(
      enumOf('HostPathType', ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice']),
      'What must exist at the path. Defaults to "" (no check).',
    ),
  },
);

export const EmptyDirVolumeSource = struct(
  'EmptyDirVolumeSource',
  {},
  {
    medium: described(t.string, 'Storage medium: "" for the node default, or Memory.'),
    sizeLimit: described(quantity, 'Total amount of local storage the volume may use.'),
  },
);

export const SecretVolumeSource = struct(
  'SecretVolumeSource',
  {},
  {
    secretName: described(t.string, "Name of the secret in the pod's namespace."),
    items,
    defaultMode: described(int32, 'Mode bits for created files. Defaults to 0644.'),
    optional: described(t.boolean, 'Whether the Secret or its keys may be missing.'),
  },
);

export const ConfigMapVolumeSource = struct(
  'ConfigMapVolumeSource',
  {},
  {
    name: described(t.string, 'Name of the ConfigMap.'),
    items,
    defaultMode: described(int32, 'Mode bits for created files. Defaults to 0644.'),
    optional: described(t.boolean, 'Whether the ConfigMap or its keys may be missing.'),
  },
);

export const PersistentVolumeClaimVolumeSource = struct(
  'PersistentVolumeClaimVolumeSource',
  { claimName: described(t.string, "Name of a PersistentVolumeClaim in the pod's namespace.") },
  { readOnly: described(t.boolean, 'Force the mount read-only.') },
);

export const DownwardAPIVolumeFile = struct(
  'DownwardAPIVolumeFile',
  { path: described(t.string, 'Relative path of the file to create.') },
  {
    fieldRef: described(ObjectFieldSelector, 'A field of the pod: annotations, labels, name, namespace and uid.'),
    resourceFieldRef: described(ResourceFieldSelector, 'A resource of a container: limits and requests.'),
    mode: described(int32, 'Mode bits for this file.'),
  },
);

export const DownwardAPIVolumeSource = struct(
  'DownwardAPIVolumeSource',
  {},
  {
    items: described(atomicList(DownwardAPIVolumeFile), 'Files to create.'),
    defaultMode: described(int32, 'Mode bits for created files. Defaults to 0644.'),
  },
);

export const ServiceAccountTokenProjection = struct(
  'ServiceAccountTokenProjection',
  { path: described(t.string, 'Path of the file to write the token to.') },
  {
    audience: described(t.string, 'Intended audience of the token.'),
    expirationSeconds: described(int64, 'Requested lifetime of the token. Defaults to 1 hour.'),
  },
);

export const ClusterTrustBundleProjection = struct(
  'ClusterTrustBundleProjection',
  { path: described(t.string, 'Relative path from the volume root to write the bundle.') },
  {
    name: t.string,
    signerName: t.string,
    labelSelector: LabelSelector,
    optional: t.boolean,
  },
);

export const VolumeProjection = struct(
  'VolumeProjection',
  {},
  {
    secret: described(
      struct('SecretProjection', {}, { name: t.string, items, optional: t.boolean }),
      'Keys of a Secret to project.',
    ),
    configMap: described(
      struct('ConfigMapProjection', {}, { name: t.string, items, optional: t.boolean }),
      'Keys of a ConfigMap to project.',
    ),
    downwardAPI: described(
      struct('DownwardAPIProjection', {}, { items: atomicList(DownwardAPIVolumeFile) }),
      'Fields of the pod to project.',
    ),
    serviceAccountToken: described(ServiceAccountTokenProjection, 'A service account token to project.'),
    clusterTrustBundle: described(ClusterTrustBundleProjection, 'A ClusterTrustBundle to project.'),
  },
);

export const ProjectedVolumeSource = struct(
  'ProjectedVolumeSource',
  {},
  {
    sources: described(atomicList(VolumeProjection), 'Volume projections.'),
    defaultMode: described(int32, 'Mode bits for created files.'),
  },
);

export const NFSVolumeSource = struct(
  'NFSVolumeSource',
  {
    server: described(t.string, 'Hostname or IP address of the NFS server.'),
    path: described(t.string, 'Path exported by the NFS server.'),
  },
  { readOnly: described(t.boolean, 'Force the mount read-only.') },
);

export const CSIVolumeSource = struct(
  'CSIVolumeSource',
  { driver: described(t.string, 'Name of the CSI driver that handles this volume.') },
  {
    readOnly: t.boolean,
    fsType: t.string,
    volumeAttributes: described(stringMap, 'Driver-specific properties.'),
    nodePublishSecretRef: LocalObjectReference,
  },
);

export const TypedObjectReference = struct(
  'TypedObjectReference',
  { kind: described(t.string, 'Kind of the referent.'), name: described(t.string, 'Name of the referent.') },
  {
    apiGroup: described(t.string, 'Group of the referent; empty for the core group.'),
    namespace: described(t.string, "Namespace of the referent, when not the claim's own."),
  },
);

export const PersistentVolumeAccessMode = enumOf('PersistentVolumeAccessMode', ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod']);
export const PersistentVolumeMode = enumOf('PersistentVolumeMode', ['Block', 'Filesystem']);

export const VolumeResourceRequirements = struct(
  'VolumeResourceRequirements',
  {},
  {
    limits: described(resourceList, 'The most resources the volume may have.'),
    requests: described(resourceList, 'The least resources the volume must have; storage is the size asked for.'),
  },
);

export const PersistentVolumeClaimSpec = struct(
  'PersistentVolumeClaimSpec',
  {},
  {
    accessModes: described(atomicList(PersistentVolumeAccessMode), 'The access modes the volume must have: ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod.'),
    selector: described(LabelSelector, 'A label query over volumes to consider for binding.'),
    resources: described(VolumeResourceRequirements, 'The least resources the volume must have.'),
    volumeName: described(t.string, 'The PersistentVolume backing this claim (the binding).'),
    storageClassName: described(t.string, 'Name of the StorageClass required by the claim.'),
    volumeMode: described(PersistentVolumeMode, 'Filesystem or Block. Defaults to Filesystem.'),
    dataSource: described(TypedLocalObjectReference, 'A VolumeSnapshot or PersistentVolumeClaim to fill the new volume from.'),
    dataSourceRef: described(TypedObjectReference, 'The object to fill the new volume from: any populator kind, or a PersistentVolumeClaim.'),
    volumeAttributesClassName: described(t.string, 'Name of the VolumeAttributesClass the claim uses; may change after creation.'),
  },
);
export type PersistentVolumeClaimSpec = t.TypeOf<typeof PersistentVolumeClaimSpec>;

export const EphemeralVolumeSource = struct(
  'EphemeralVolumeSource',
  {},
  {
    volumeClaimTemplate: described(
      struct('PersistentVolumeClaimTemplate', { spec: PersistentVolumeClaimSpec }, { metadata: ObjectMeta }),
      'The PVC created for this volume and deleted with the pod.',
    ),
  },
);

export const ImageVolumeSource = struct(
  'ImageVolumeSource',
  {},
  {
    reference: described(t.string, 'Image or artifact reference to mount.'),
    pullPolicy: described(PullPolicy, 'Always, Never or IfNotPresent.'),
  },
);

/** In-tree sources berth does not interpret; accepted as given so manifests still apply. */
const kept = described(preserveUnknown, 'Not interpreted by berth; kept as given.');

export const Volume = struct(
  'Volume',
  { name: described(t.string, 'Name of the volume, a DNS_LABEL unique within the pod.') },
  {
    hostPath: described(HostPathVolumeSource, 'A file or directory on the host, exposed to the container.'),
    emptyDir: described(EmptyDirVolumeSource, 'A temporary directory that shares the pod lifetime.'),
    secret: described(SecretVolumeSource, 'A Secret to populate the volume from.'),
    configMap: described(ConfigMapVolumeSource, 'A ConfigMap to populate the volume from.'),
    persistentVolumeClaim: described(PersistentVolumeClaimVolumeSource, 'A PersistentVolumeClaim in the same namespace.'),
    projected: described(ProjectedVolumeSource, 'Secrets, ConfigMaps, downward API and tokens in one directory.'),
    downwardAPI: described(DownwardAPIVolumeSource, 'Fields of the pod as files.'),
    nfs: described(NFSVolumeSource, 'An NFS mount on the host.'),
    csi: described(CSIVolumeSource, 'Storage handled by a CSI driver.'),
    ephemeral: described(EphemeralVolumeSource, 'A volume handled by a cluster storage driver, created and deleted with the pod.'),
    image: described(ImageVolumeSource, 'An OCI object (image or artifact) mounted read-only.'),
    gcePersistentDisk: kept,
    awsElasticBlockStore: kept,
    gitRepo: kept,
    iscsi: kept,
    glusterfs: kept,
    rbd: kept,
    flexVolume: kept,
    cinder: kept,
    cephfs: kept,
    flocker: kept,
    fc: kept,
    azureFile: kept,
    vsphereVolume: kept,
    quobyte: kept,
    azureDisk: kept,
    photonPersistentDisk: kept,
    portworxVolume: kept,
    scaleIO: kept,
    storageos: kept,
  },
);
export type Volume = t.TypeOf<typeof Volume>;
