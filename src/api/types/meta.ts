/**
 * meta/v1: the metadata every object carries, label selectors, conditions, DeleteOptions, and
 * `resource()`, the shape of a top-level kind (apiVersion, kind, metadata, then its own fields).
 */
import * as t from 'io-ts';
import { atomicList, atomicMap, described, enumOf, mergeList, preserveUnknown, setList, struct, StructType } from '../codecs';
import type { ObjectMeta as ObjectMetaShape } from '../object';
import { int64, intOrString, microTime, quantity, stringMap, time } from '../scalars';

/** The scalar kinds by their upstream names: meta/v1 Time and MicroTime, intstr.IntOrString, resource.Quantity. */
export const Time = time;
export type Time = t.TypeOf<typeof Time>;
export const MicroTime = microTime;
export type MicroTime = t.TypeOf<typeof MicroTime>;
export const IntOrString = intOrString;
export type IntOrString = t.TypeOf<typeof IntOrString>;
export const Quantity = quantity;
export type Quantity = t.TypeOf<typeof Quantity>;

export const OwnerReference = struct(
  'OwnerReference',
  {
    apiVersion: described(t.string, 'API version of the referent.'),
    kind: described(t.string, 'Kind of the referent.'),
    name: described(t.string, 'Name of the referent.'),
    uid: described(t.string, 'UID of the referent.'),
  },
  {
    controller: described(t.boolean, 'If true, this reference points to the managing controller.'),
    blockOwnerDeletion: described(
      t.boolean,
      'If true, and the owner has the "foregroundDeletion" finalizer, the owner cannot be deleted from the store until this reference is removed.',
    ),
  },
);
export type OwnerReference = t.TypeOf<typeof OwnerReference>;

export const ManagedFieldsEntry = struct(
  'ManagedFieldsEntry',
  {},
  {
    manager: described(t.string, 'The workflow managing these fields.'),
    operation: described(enumOf('ManagedFieldsOperation', ['Apply', 'Update']), 'The operation that led to this entry.'),
    apiVersion: described(t.string, 'The version of the resource these fields are in.'),
    time: described(time, 'When these fields were last changed.'),
    fieldsType: described(t.string, 'The format of fieldsV1; only "FieldsV1".'),
    fieldsV1: described(preserveUnknown, 'The set of fields owned, as a trie of field names.'),
    subresource: described(t.string, 'The subresource written through, empty for the main resource.'),
  },
);
export type ManagedFieldsEntry = t.TypeOf<typeof ManagedFieldsEntry>;

export const ObjectMeta = struct(
  'ObjectMeta',
  {},
  {
    name: described(t.string, 'Unique within a namespace; required on create unless generateName is set. Cannot be updated.'),
    generateName: described(t.string, 'A prefix the server completes with a random suffix when name is empty.'),
    namespace: described(t.string, 'The namespace the object lives in; empty for cluster-scoped kinds.'),
    selfLink: described(t.string, 'Deprecated; never set by berth.'),
    uid: described(t.string, 'Unique in time and space; set by the server on create.'),
    resourceVersion: described(t.string, 'The store revision of the last write; opaque to clients, used for optimistic concurrency and watches.'),
    generation: described(int64, 'Moves when the desired state (spec) changes. Set by the server.'),
    creationTimestamp: described(time, 'When the object was created (RFC 3339, UTC). Set by the server.'),
    deletionTimestamp: described(time, 'When deletion was requested; the object goes once its finalizers are done.'),
    deletionGracePeriodSeconds: described(int64, 'Seconds allowed for graceful termination; set with deletionTimestamp.'),
    labels: described(stringMap, 'Keys and values that selectors match on.'),
    annotations: described(stringMap, 'Unstructured keys and values kept for tools; not queryable.'),
    ownerReferences: described(
      mergeList(OwnerReference, 'uid'),
      'Objects this one depends on; when all of them are gone the garbage collector deletes it.',
    ),
    finalizers: described(setList(t.string, { merge: true }), 'Must be empty before the object is removed from the store.'),
    managedFields: described(atomicList(ManagedFieldsEntry), 'Which manager owns which fields (server-side apply).'),
  },
);
export type ObjectMeta = t.TypeOf<typeof ObjectMeta>;

/** Compile-time proof that the codec and the hand-written `ObjectMeta` in object.ts agree. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const objectMetaAgrees: Same<ObjectMeta, ObjectMetaShape> = true;
void objectMetaAgrees;

export const ListMeta = struct(
  'ListMeta',
  {},
  {
    resourceVersion: t.string,
    continue: t.string,
    remainingItemCount: int64,
    selfLink: t.string,
  },
);
export type ListMeta = t.TypeOf<typeof ListMeta>;

export const LabelSelectorRequirement = struct(
  'LabelSelectorRequirement',
  {
    key: described(t.string, 'The label key the selector applies to.'),
    operator: described(enumOf('LabelSelectorOperator', ['In', 'NotIn', 'Exists', 'DoesNotExist']), "The key's relationship to the values."),
  },
  { values: described(atomicList(t.string), 'Non-empty for In and NotIn, empty for Exists and DoesNotExist.') },
);
export type LabelSelectorRequirement = t.TypeOf<typeof LabelSelectorRequirement>;

export const LabelSelector = atomicMap(
  struct(
    'LabelSelector',
    {},
    {
      matchLabels: described(stringMap, 'Equality requirements, ANDed with matchExpressions.'),
      matchExpressions: described(atomicList(LabelSelectorRequirement), 'Set-based requirements, all ANDed.'),
    },
  ),
);
export type LabelSelector = t.TypeOf<typeof LabelSelector>;

export const ConditionStatus = enumOf('ConditionStatus', ['True', 'False', 'Unknown']);

/** meta/v1 Condition, the standard condition shape of newer APIs (Service status). */
export const Condition = struct(
  'Condition',
  {
    type: described(t.string, 'Type of condition in CamelCase.'),
    status: described(ConditionStatus, 'True, False or Unknown.'),
    lastTransitionTime: described(time, 'When the status last changed.'),
    reason: described(t.string, 'A CamelCase reason for the last transition.'),
    message: described(t.string, 'A human readable message about the transition.'),
  },
  { observedGeneration: described(int64, 'The generation the condition was set for.') },
);
export type Condition = t.TypeOf<typeof Condition>;

export const Preconditions = struct(
  'Preconditions',
  {},
  {
    uid: described(t.string, 'The target object must have this uid.'),
    resourceVersion: described(t.string, 'The target object must have this resourceVersion.'),
  },
);

/** The body of a DELETE; kubectl sends it without kind and apiVersion. */
export const DeleteOptions = struct(
  'DeleteOptions',
  {},
  {
    kind: t.string,
    apiVersion: t.string,
    gracePeriodSeconds: described(int64, 'Seconds before the object is deleted; 0 deletes immediately.'),
    preconditions: described(Preconditions, 'Must be fulfilled before the deletion is carried out.'),
    orphanDependents: described(t.boolean, 'Deprecated: use propagationPolicy.'),
    propagationPolicy: described(
      enumOf('DeletionPropagation', ['Orphan', 'Background', 'Foreground']),
      'Whether and how the garbage collector deletes dependents.',
    ),
    dryRun: described(atomicList(t.string), 'All: process every stage but persist nothing.'),
    ignoreStoreReadErrorWithClusterBreakingPotential: t.boolean,
  },
);
export type DeleteOptions = t.TypeOf<typeof DeleteOptions>;

/**
 * A top-level kind: `apiVersion` and `kind` (optional, but only these values), the required
 * `metadata`, then the kind's own fields.
 */
export function resource<V extends string, K extends string, R extends t.Props, O extends t.Props>(
  apiVersion: V,
  kind: K,
  description: string,
  required: R,
  optional: O,
) {
  const typeMeta = {
    apiVersion: described(enumOf('APIVersion', [apiVersion]), 'The versioned schema of this representation of the object.'),
    kind: described(enumOf('Kind', [kind]), 'The REST resource this object represents.'),
  };
  const metadata = described(ObjectMeta, "Standard object's metadata.");
  return described(new StructType(kind, { metadata, ...required }, { ...typeMeta, ...optional }), description);
}
