/**
 * core/v1 PersistentVolumeClaim and PersistentVolume (upstream's ValidatePersistentVolumeClaim and
 * ValidatePersistentVolume): access modes (ReadWriteOncePod alone), a positive storage size, a
 * class that is a DNS subdomain, data sources, one volume source per volume; on update, a claim's
 * spec and a volume's source and mode do not change.
 */
import type { Cause } from '../../api/errors';
import type { PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimSpec, PersistentVolumeSpec } from '../../api/types';
import { PERSISTENT_VOLUME_SOURCES } from '../../api/types';
import { deepEqual } from '../../util/json';
import { parseQuantity } from '../../util/quantity';
import { child, forbidden, immutable, invalid, key, notSupported, required } from './field-errors';
import { onKind } from './kinds';
import { dnsSubdomainCauses, labelSelectorCauses } from './validate-common';

export const persistentVolumeClaimValidation = onKind('persistentvolumeclaim-validation', '', 'PersistentVolumeClaim', {
  validate(obj, { operation, old, subresource }) {
    if (subresource === 'status') return [];
    const spec = (obj as PersistentVolumeClaim).spec ?? {};
    const causes = claimSpecCauses(spec, 'spec');
    const previous = (old as PersistentVolumeClaim | undefined)?.spec;
    if (operation === 'UPDATE' && previous && !deepEqual(fixedClaimSpec(spec, previous), fixedClaimSpec(previous, previous))) {
      causes.push(forbidden('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
    }
    return causes;
  },
});

/** What of a claim's spec may not change: all but the requests, the attributes class, and a first volumeName. */
function fixedClaimSpec(spec: PersistentVolumeClaimSpec, previous: PersistentVolumeClaimSpec): PersistentVolumeClaimSpec {
  const { volumeAttributesClassName: _class, resources, volumeName, ...rest } = spec;
  const fixed: PersistentVolumeClaimSpec = { ...rest, resources: { ...resources, requests: undefined } };
  if (previous.volumeName) fixed.volumeName = volumeName;
  return fixed;
}

/** A claim's spec, in a PersistentVolumeClaim (upstream's ValidatePersistentVolumeClaimSpec). */
export function claimSpecCauses(spec: PersistentVolumeClaimSpec, path: string): Cause[] {
  const causes: Cause[] = [];
  if ((spec.accessModes ?? []).length === 0) causes.push(required(child(path, 'accessModes'), 'at least 1 access mode is required'));
  causes.push(...accessModeCauses(spec.accessModes, child(path, 'accessModes')));
  if (spec.selector) causes.push(...labelSelectorCauses(spec.selector, child(path, 'selector')));
  const storagePath = key(child(path, 'resources'), 'storage');
  const storage = spec.resources?.requests?.storage;
  if (storage === undefined) causes.push(required(storagePath));
  else causes.push(...positiveQuantity(storage, storagePath));
  if (spec.storageClassName) causes.push(...dnsSubdomainCauses(spec.storageClassName, child(path, 'storageClassName')));
  if (spec.dataSource) causes.push(...dataSourceCauses(spec.dataSource, child(path, 'dataSource')));
  if (spec.dataSourceRef) causes.push(...dataSourceCauses(spec.dataSourceRef, child(path, 'dataSourceRef')));
  return causes;
}

function accessModeCauses(modes: readonly string[] | undefined, path: string): Cause[] {
  const list = modes ?? [];
  return list.includes('ReadWriteOncePod') && list.some((m) => m !== 'ReadWriteOncePod') ? [forbidden(path, 'may not use ReadWriteOncePod with other access modes')] : [];
}

function positiveQuantity(value: string | number, path: string): Cause[] {
  try {
    return parseQuantity(value) > 0 ? [] : [invalid(path, String(value), 'must be greater than zero')];
  } catch {
    return []; // Not a quantity: the schema reports it.
  }
}

function dataSourceCauses(source: { apiGroup?: string; kind: string; name: string }, path: string): Cause[] {
  const causes: Cause[] = [];
  if (!source.name) causes.push(required(child(path, 'name')));
  if (!source.kind) causes.push(required(child(path, 'kind')));
  if (!source.apiGroup && source.kind !== 'PersistentVolumeClaim') {
    causes.push(invalid(path, source.kind, "must be 'PersistentVolumeClaim' when referencing the default apiGroup"));
  }
  return causes;
}

export const persistentVolumeValidation = onKind('persistentvolume-validation', '', 'PersistentVolume', {
  validate(obj, { operation, old, subresource }) {
    if (subresource === 'status') return [];
    const spec = (obj as PersistentVolume).spec ?? {};
    const causes = volumeSpecCauses(spec, 'spec');
    const previous = (old as PersistentVolume | undefined)?.spec;
    if (operation === 'UPDATE' && previous) {
      if (!deepEqual(sourceOf(spec), sourceOf(previous))) causes.push(forbidden('spec.persistentvolumesource', 'spec.persistentvolumesource is immutable after creation'));
      causes.push(...immutable(spec.volumeMode, previous.volumeMode, 'spec.volumeMode', (a, b) => a === b));
    }
    return causes;
  },
});

const sourceOf = (spec: PersistentVolumeSpec): Record<string, unknown> =>
  Object.fromEntries(Object.entries(spec).filter(([field]) => PERSISTENT_VOLUME_SOURCES.includes(field)));

function volumeSpecCauses(spec: PersistentVolumeSpec, path: string): Cause[] {
  const causes: Cause[] = [];
  if ((spec.accessModes ?? []).length === 0) causes.push(required(child(path, 'accessModes')));
  causes.push(...accessModeCauses(spec.accessModes, child(path, 'accessModes')));
  const capacity = spec.capacity ?? {};
  const capacityPath = child(path, 'capacity');
  if (Object.keys(capacity).length === 0) causes.push(required(capacityPath));
  if (capacity.storage === undefined || Object.keys(capacity).length > 1) causes.push(notSupported(capacityPath, capacity, ['storage']));
  for (const [name, value] of Object.entries(capacity)) causes.push(...positiveQuantity(value, key(capacityPath, name)));
  if (spec.storageClassName) causes.push(...dnsSubdomainCauses(spec.storageClassName, child(path, 'storageClassName')));
  const sources = Object.keys(sourceOf(spec));
  if (sources.length === 0) causes.push(required(path, 'must specify a volume type'));
  for (const extra of sources.slice(1)) causes.push(forbidden(child(path, extra), 'may not specify more than 1 volume type'));
  if (spec.hostPath && !spec.hostPath.path) causes.push(required(child(path, 'hostPath.path')));
  if (spec.local) {
    if (!spec.local.path) causes.push(required(child(path, 'local.path')));
    if (!spec.nodeAffinity?.required) causes.push(required(child(path, 'nodeAffinity'), 'Local volume requires node affinity'));
  }
  return causes;
}
