/**
 * Who owns which fields (metadata.managedFields). Every write through the server records its
 * field manager here; server-side apply reads the same records to find conflicts.
 */
import type { ManagedFieldsEntry, Obj } from '../api/object';
import type { ResourceType } from './registry';
import { recordUpdate } from './patch';

export interface OwnershipContext {
  /** The field manager of the write; writes without one are not recorded. */
  manager?: string;
  apiVersion: string;
  type: ResourceType;
  /** RFC 3339 time of the write. */
  time: string;
  subresource?: string;
}

export interface FieldOwnership {
  /** The managedFields the object should carry after a non-apply write from `old` to `next`. */
  onWrite(old: Obj | undefined, next: Obj, context: OwnershipContext): ManagedFieldsEntry[] | undefined;
}

/** Records each write's fields under its manager, as upstream's field manager does for updates. */
export const fieldOwnership: FieldOwnership = {
  onWrite(old, next, { manager, apiVersion, type, time, subresource }) {
    if (!manager) return next.metadata.managedFields ?? old?.metadata.managedFields;
    return recordUpdate(old, next, {
      manager,
      apiVersion,
      now: time,
      schema: type.decl.schema,
      subresource,
      statusSubresource: Boolean(type.decl.subresources.status),
    });
  },
};
