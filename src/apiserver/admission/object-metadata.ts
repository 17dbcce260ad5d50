/**
 * Object metadata, for every kind (upstream's ValidateObjectMeta and ValidateObjectMetaUpdate):
 * the name under the kind's rule, namespace, labels and annotations (via names.ts), owner
 * references (complete, at most one controller, duplicates by uid dropped as upstream's handler
 * drops them), finalizer names, and on update the fields that never change.
 */
import type { Cause } from '../../api/errors';
import { isQualifiedName, validateObjectMetaNames } from '../../api/names';
import type { ObjectMeta, OwnerReference } from '../../api/object';
import { deepEqual } from '../../util/json';
import { forbidden, immutable, invalid } from './field-errors';
import type { AdmissionPlugin } from './index';

const ORPHAN_FINALIZER = 'orphan';
const FOREGROUND_FINALIZER = 'foregroundDeletion';

export const objectMetadata: AdmissionPlugin = {
  name: 'object-metadata',
  mutate(obj) {
    const references = obj.metadata.ownerReferences;
    if (references) obj.metadata.ownerReferences = uniqueByUid(references);
  },
  validate(obj, { type, operation, old }) {
    const meta = obj.metadata;
    const causes = validateObjectMetaNames(meta, { rule: type.decl.nameRule ?? 'dns1123-subdomain', namespaced: type.namespaced });
    causes.push(...ownerReferenceCauses(meta.ownerReferences ?? [], 'metadata.ownerReferences'));
    causes.push(...finalizerCauses(meta.finalizers ?? [], 'metadata.finalizers'));
    if (operation === 'UPDATE' && old) causes.push(...metadataUpdateCauses(meta, old.metadata));
    return causes;
  },
};

function uniqueByUid(references: OwnerReference[]): OwnerReference[] {
  const seen = new Set<string>();
  return references.filter((r) => {
    if (seen.has(r.uid)) return false;
    seen.add(r.uid);
    return true;
  });
}

/** upstream reports these at the list's path, not the item's. */
export function ownerReferenceCauses(references: OwnerReference[], path: string): Cause[] {
  const causes: Cause[] = [];
  let controller = '';
  for (const ref of references) {
    const version = ref.apiVersion.includes('/') ? ref.apiVersion.slice(ref.apiVersion.indexOf('/') + 1) : ref.apiVersion;
    if (!version) causes.push(invalid(`${path}.apiVersion`, ref.apiVersion, 'version must not be empty'));
    if (!ref.kind) causes.push(invalid(`${path}.kind`, ref.kind, 'kind must not be empty'));
    if (!ref.name) causes.push(invalid(`${path}.name`, ref.name, 'name must not be empty'));
    if (!ref.uid) causes.push(invalid(`${path}.uid`, ref.uid, 'uid must not be empty'));
    if (ref.controller) {
      const current = `${ref.kind}/${ref.name}`;
      if (controller) {
        causes.push(
          invalid(path, references, `Only one reference can have Controller set to true. Found "true" in references for ${controller} and ${current}`),
        );
      } else controller = current;
    }
  }
  return causes;
}

export function finalizerCauses(finalizers: string[], path: string): Cause[] {
  const causes: Cause[] = [];
  for (const finalizer of finalizers) for (const p of isQualifiedName(finalizer)) causes.push(invalid(path, finalizer, p));
  if (finalizers.includes(ORPHAN_FINALIZER) && finalizers.includes(FOREGROUND_FINALIZER)) {
    causes.push(invalid(path, finalizers, `finalizer ${ORPHAN_FINALIZER} and ${FOREGROUND_FINALIZER} cannot be both set`));
  }
  return causes;
}

function metadataUpdateCauses(meta: ObjectMeta, previous: ObjectMeta): Cause[] {
  const causes: Cause[] = [];
  for (const field of ['name', 'namespace', 'uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds'] as const) {
    causes.push(...immutable(meta[field], previous[field], `metadata.${field}`, (a, b) => deepEqual(a ?? null, b ?? null)));
  }
  if (previous.deletionTimestamp) {
    const added = (meta.finalizers ?? []).filter((f) => !(previous.finalizers ?? []).includes(f));
    if (added.length > 0) {
      const listed = `[]string{${[...new Set(added)].sort().map((f) => JSON.stringify(f)).join(', ')}}`;
      causes.push(forbidden('metadata.finalizers', `no new finalizers can be added if the object is being deleted, found new finalizers ${listed}`));
    }
  }
  return causes;
}
