/**
 * The leaf values of the Kubernetes API, each with the schema upstream publishes for it and a
 * message in upstream's words when a value does not fit.
 */
import * as t from 'io-ts';
import { Scalar, mapOf } from './codecs';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function integerProblem(u: unknown, min: number, max: number, bits: number): string | undefined {
  if (typeof u !== 'number' || !Number.isInteger(u)) return 'must be an integer';
  if (u < min || u > max) return `must be a ${bits}-bit integer`;
  return undefined;
}

export const int32 = new Scalar<number>('int32', { type: 'integer', format: 'int32' }, (u) =>
  integerProblem(u, INT32_MIN, INT32_MAX, 32),
);

/** JavaScript numbers hold integers exactly up to 2^53; that is the range berth accepts for int64. */
export const int64 = new Scalar<number>('int64', { type: 'integer', format: 'int64' }, (u) =>
  integerProblem(u, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 64),
);

export const float64 = new Scalar<number>('double', { type: 'number', format: 'double' }, (u) =>
  typeof u === 'number' && Number.isFinite(u) ? undefined : 'must be a number',
);

/** RFC 3339 as Go's time.RFC3339 parses it: optional fraction, `Z` or a numeric offset. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function timeProblem(u: unknown): string | undefined {
  if (typeof u !== 'string') return 'must be a string';
  if (!RFC3339.test(u) || Number.isNaN(Date.parse(u))) return 'must be an RFC 3339 date-time (e.g. 2006-01-02T15:04:05Z)';
  return undefined;
}

/** meta/v1 Time: RFC 3339, second precision on the wire. */
export const time = new Scalar<string>('Time', { type: 'string', format: 'date-time' }, timeProblem);

/** meta/v1 MicroTime: RFC 3339 with microseconds (Events, Leases). */
export const microTime = new Scalar<string>('MicroTime', { type: 'string', format: 'date-time' }, timeProblem);

/** A port number or a port name (Service targetPort, probe ports) or a percentage (maxSurge). */
export const intOrString = new Scalar<number | string>(
  'IntOrString',
  { 'x-kubernetes-int-or-string': true, format: 'int-or-string' },
  (u) => (typeof u === 'string' || (typeof u === 'number' && Number.isInteger(u)) ? undefined : 'must be an integer or a string'),
);

const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;

/**
 * resource.Quantity: `500m`, `128Mi`, `1.5`. A bare YAML number (`cpu: 1`, `cpu: 0.5`) is a
 * quantity too, as upstream's decoder accepts it.
 */
export const quantity = new Scalar<string | number>(
  'Quantity',
  { 'x-kubernetes-int-or-string': true, format: 'quantity' },
  (u) => {
    if (typeof u === 'number') return Number.isFinite(u) ? undefined : 'must be a finite number';
    if (typeof u === 'string' && QUANTITY.test(u)) return undefined;
    return `quantities must match the regular expression '${QUANTITY.source}'`;
  },
);

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** []byte on the wire: standard base64 with padding (Secret data, ConfigMap binaryData, caBundle). */
export const base64 = new Scalar<string>('bytes', { type: 'string', format: 'byte' }, (u) => {
  if (typeof u !== 'string') return 'must be a string';
  return BASE64.test(u) ? undefined : 'must be base64-encoded';
});

/** map[string]string: labels, annotations, selectors, ConfigMap data. */
export const stringMap = mapOf(t.string);

/** ResourceList: `cpu`, `memory`, `ephemeral-storage`, extended resources → quantity. */
export const resourceList = mapOf(quantity);
