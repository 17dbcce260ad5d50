/**
 * Stored values are JSON objects, written without `metadata.resourceVersion` (the revision is the
 * key's modRevision, which the backend knows and the value cannot). Reading puts it back.
 *
 * A value that does not decode (not JSON, or not an object with `metadata`) is reported with its
 * key and skipped: one bad value must never break a list or a watch of everything around it.
 */
import { isObj, Obj } from '../api/object';
import { logger } from '../log';

/** Told about every stored value that was skipped because it does not decode. */
export type UndecodableReporter = (key: string, reason: string) => void;

const log = logger('store');

export const warnUndecodable: UndecodableReporter = (key, reason) => {
  log.warn('stored value skipped: it does not decode', { key, reason });
};

/** The bytes to store for an object: its JSON without `metadata.resourceVersion`. */
export function encodeValue(object: Obj): string {
  if (object.metadata.resourceVersion === undefined) return JSON.stringify(object);
  return JSON.stringify({ ...object, metadata: { ...object.metadata, resourceVersion: undefined } });
}

/**
 * The object a caller wrote, as it now stands in the store. A shallow copy: nested values are
 * shared with `object`, which spares a JSON round trip on every write.
 */
export function withResourceVersion(object: Obj, revision: number): Obj {
  return { ...object, metadata: { ...object.metadata, resourceVersion: String(revision) } };
}

/** The stored object with `resourceVersion` set, or undefined (reported) when it does not decode. */
export function decodeValue(key: string, value: Buffer | string, revision: number, report: UndecodableReporter): Obj | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch (e) {
    report(key, `not JSON: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
  if (!isObj(parsed)) {
    report(key, 'not an object with metadata');
    return undefined;
  }
  parsed.metadata.resourceVersion = String(revision);
  return parsed;
}
