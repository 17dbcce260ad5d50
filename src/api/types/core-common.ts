/** core/v1 pieces shared across kinds: references to other objects, protocols, condition status. */
import * as t from 'io-ts';
import { described, enumOf, struct } from '../codecs';

export { ConditionStatus } from './meta';

export const Protocol = enumOf('Protocol', ['TCP', 'UDP', 'SCTP']);
export type Protocol = t.TypeOf<typeof Protocol>;

/** A reference to any object, with enough to find it and, optionally, a field inside it. */
export const ObjectReference = struct(
  'ObjectReference',
  {},
  {
    kind: described(t.string, 'Kind of the referent.'),
    namespace: described(t.string, 'Namespace of the referent.'),
    name: described(t.string, 'Name of the referent.'),
    uid: described(t.string, 'UID of the referent.'),
    apiVersion: described(t.string, 'API version of the referent.'),
    resourceVersion: described(t.string, 'Specific resourceVersion the reference is to.'),
    fieldPath: described(t.string, 'A piece of the object, e.g. spec.containers{name}.'),
  },
);
export type ObjectReference = t.TypeOf<typeof ObjectReference>;

/** A reference to an object in the same namespace, by name. */
export const LocalObjectReference = struct(
  'LocalObjectReference',
  {},
  { name: described(t.string, 'Name of the referent.') },
);
export type LocalObjectReference = t.TypeOf<typeof LocalObjectReference>;

export const TypedLocalObjectReference = struct(
  'TypedLocalObjectReference',
  {
    kind: described(t.string, 'Kind of the referent.'),
    name: described(t.string, 'Name of the referent.'),
  },
  { apiGroup: described(t.string, 'Group of the referent; empty for the core group.') },
);
