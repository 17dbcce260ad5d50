/**
 * Admission: what runs on every write between decoding and storing. Mutation first (defaulting,
 * as Kubernetes defaults the same fields), then validation, which reports every bad field at once.
 */
import type { Cause } from '../../api/errors';
import type { Obj } from '../../api/object';
import type { ResourceType } from '../registry';

export type Operation = 'CREATE' | 'UPDATE';

export interface AdmissionRequest {
  type: ResourceType;
  operation: Operation;
  /** `status`, `scale` ... or undefined for the main resource. */
  subresource?: string;
  /** The stored object, on UPDATE. */
  old?: Obj;
}

export interface Admission {
  /** Fills in defaults and other server-side mutations; changes `obj` in place. */
  mutate(obj: Obj, request: AdmissionRequest): void;
  /** Every problem with `obj`, each naming its field. Empty when it is valid. */
  validate(obj: Obj, request: AdmissionRequest): Cause[];
}
