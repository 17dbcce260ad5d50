/**
 * Defaults of the storage kinds, as upstream's `pkg/apis/core/v1/defaults.go` sets them:
 * PersistentVolumeClaim (also the claim templates of a StatefulSet) and PersistentVolume. Both
 * start Pending; nothing binds them yet (see the kinds' `unmanaged` in crds/core.ts).
 */
import type { PersistentVolume, PersistentVolumeClaim } from '../../api/types';
import { onKind } from './kinds';

/** A claim, or a claim template: Filesystem volumes, and the Pending phase until bound. */
export function defaultClaim(claim: PersistentVolumeClaim): void {
  const spec = (claim.spec ??= {});
  spec.volumeMode ??= 'Filesystem';
  const status = (claim.status ??= {});
  status.phase ??= 'Pending';
}

export const persistentVolumeClaimDefaults = onKind('persistentvolumeclaim-defaults', '', 'PersistentVolumeClaim', {
  mutate(obj) {
    defaultClaim(obj as PersistentVolumeClaim);
  },
});

export const persistentVolumeDefaults = onKind('persistentvolume-defaults', '', 'PersistentVolume', {
  mutate(obj) {
    const volume = obj as PersistentVolume;
    const spec = (volume.spec ??= {});
    spec.persistentVolumeReclaimPolicy ??= 'Retain';
    spec.volumeMode ??= 'Filesystem';
    if (spec.hostPath) spec.hostPath.type ??= '';
    const status = (volume.status ??= {});
    status.phase ??= 'Pending';
  },
});
