/**
 * `kubectl get persistentvolumeclaims, persistentvolumes`, cell for cell as upstream's
 * `printPersistentVolumeClaim` and `printPersistentVolume` (and the core helpers they use:
 * `GetAccessModesAsString`, `GetPersistentVolumeClass`, `GetPersistentVolumeClaimClass`).
 * Quantities print as stored: berth keeps them as written rather than in canonical form.
 */
import type { Obj } from '../../api/object';
import type { PersistentVolume, PersistentVolumeClaim } from '../../api/types';
import { ageColumn, column, nameColumn, objectAge } from './cells';
import type { Printer } from './table';

/** The annotation that named a storage class before `storageClassName`; it still wins. */
const BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';

const ACCESS_MODES: ReadonlyArray<[string, string]> = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

/** `RWO,ROX`: each mode once, always in this order (upstream `GetAccessModesAsString`). */
export function accessModesString(modes: readonly string[] | undefined): string {
  return ACCESS_MODES.filter(([mode]) => modes?.includes(mode)).map(([, short]) => short).join(',');
}

/** A Quantity as Go prints one; an absent one is the zero quantity, `0`. */
const quantityCell = (q: string | number | undefined): string => String(q ?? '0');

const volumeModeColumn = (description: string) => column('VolumeMode', 'string', description, 1);

export const persistentVolumeClaimPrinter: Printer = {
  columns: [
    nameColumn,
    column('Status', 'string', 'phase represents the current phase of PersistentVolumeClaim.'),
    column('Volume', 'string', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
    column('Capacity', 'string', 'capacity represents the actual resources of the underlying volume.'),
    column('Access Modes', 'string', 'accessModes contains the actual access modes the volume backing the PVC has.'),
    column('StorageClass', 'string', 'StorageClass of the pvc'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    ageColumn,
    volumeModeColumn('volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.'),
  ],
  cells(object: Obj, now: number): unknown[] {
    const pvc = object as unknown as PersistentVolumeClaim;
    const spec = pvc.spec ?? {};
    // Capacity and access modes are the bound volume's, so shown only once bound.
    const bound = Boolean(spec.volumeName);
    const storageClass = pvc.metadata.annotations?.[BETA_STORAGE_CLASS] ?? spec.storageClassName ?? '';
    return [
      pvc.metadata.name,
      pvc.metadata.deletionTimestamp ? 'Terminating' : (pvc.status?.phase ?? ''),
      spec.volumeName ?? '',
      bound ? quantityCell(pvc.status?.capacity?.storage) : '',
      bound ? accessModesString(pvc.status?.accessModes) : '',
      storageClass,
      spec.volumeAttributesClassName ?? '<unset>',
      objectAge(object, now),
      spec.volumeMode ?? '<unset>',
    ];
  },
};

export const persistentVolumePrinter: Printer = {
  columns: [
    nameColumn,
    column('Capacity', 'string', "capacity is the description of the persistent volume's resources and capacity."),
    column('Access Modes', 'string', 'accessModes contains all ways the volume can be mounted.'),
    column('Reclaim Policy', 'string', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.'),
    column('Status', 'string', 'phase indicates if a volume is available, bound to a claim, or released by a claim.'),
    column('Claim', 'string', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.'),
    column('StorageClass', 'string', 'StorageClass of the pv'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
    column('Reason', 'string', 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.'),
    ageColumn,
    volumeModeColumn('volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.'),
  ],
  cells(object: Obj, now: number): unknown[] {
    const pv = object as unknown as PersistentVolume;
    const spec = pv.spec ?? {};
    const claim = spec.claimRef ? `${spec.claimRef.namespace ?? ''}/${spec.claimRef.name ?? ''}` : '';
    return [
      pv.metadata.name,
      quantityCell(spec.capacity?.storage),
      accessModesString(spec.accessModes),
      spec.persistentVolumeReclaimPolicy ?? '',
      pv.metadata.deletionTimestamp ? 'Terminating' : (pv.status?.phase ?? ''),
      claim,
      pv.metadata.annotations?.[BETA_STORAGE_CLASS] ?? spec.storageClassName ?? '',
      spec.volumeAttributesClassName ?? '<unset>',
      pv.status?.reason ?? '',
      objectAge(object, now),
      spec.volumeMode ?? '<unset>',
    ];
  },
};
