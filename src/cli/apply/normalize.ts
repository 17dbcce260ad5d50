/**
 * What is left of an object when the fields the server sets on its own are taken away: identity
 * and bookkeeping (uid, resourceVersion, generation, creationTimestamp, managedFields, selfLink,
 * deletion marks) and status. Two versions equal in what remains differ only in server noise.
 */
import type { Obj } from '../../api/object';

const serverMetadata = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds'];

export function withoutServerFields(obj: Obj): Record<string, unknown> {
  const { status: _status, metadata, ...rest } = obj;
  const meta: Record<string, unknown> = { ...metadata };
  for (const key of serverMetadata) delete meta[key];
  return { ...rest, metadata: meta };
}
