/**
 * The one list algorithm both backends share: read the key range in batches at one revision,
 * keep what the label selector and filter accept, stop when the page is full, and hand back a
 * `continue` token that reads the next page at the same revision.
 *
 * A backend only supplies `RangeReader`: one batch of a key range at a revision.
 */
import { BadRequest } from '../api/errors';
import type { Obj } from '../api/object';
import { decodeContinue, encodeContinue } from './continue-token';
import { keyAfter } from './key-range';
import type { Entry, ListOptions, ListResult } from './store';

export interface RangeRequest {
  prefix: string;
  /** The first key to read (inclusive); it starts with `prefix`. */
  start: string;
  /** The revision to read at; 0 means the latest. */
  revision: number;
  limit: number;
}

export interface RangeBatch {
  /** The values that decode, in key order. */
  entries: Entry[];
  /** The last key read, whether its value decoded or not: the next batch starts after it. */
  lastKey?: string;
  /** Keys remain after `lastKey`. */
  more: boolean;
  /** The revision the batch was read at (the latest, when 0 was asked). */
  revision: number;
  /** How many keys there are from `start` to the end of the prefix; asked only for a page with more to come. */
  count?: () => number | Promise<number>;
}

export type RangeReader = (request: RangeRequest) => Promise<RangeBatch>;

/** The largest batch read at once: bounds memory and message sizes for unlimited lists. */
const largestBatch = 1000;
/** The first batch of a filtered list: a selective filter needs more than `limit` keys read. */
const smallestFilteredBatch = 100;

export async function listPaged(read: RangeReader, prefix: string, options: ListOptions = {}): Promise<ListResult> {
  const limit = pageLimit(options.limit);
  let revision = options.revision ?? 0;
  let start = prefix;
  let left: number | undefined;
  if (options.continue) {
    const token = decodeContinue(options.continue, prefix);
    if (revision !== 0 && revision !== token.revision) {
      throw new BadRequest(`a list with a continue token is read at the token's revision ${token.revision}, not ${revision}`);
    }
    revision = token.revision;
    start = token.start;
    left = token.left;
  }
  const { labelSelector, filter } = options;
  const filtered = labelSelector !== undefined || filter !== undefined;
  const matches = (object: Obj): boolean =>
    (!labelSelector || labelSelector.matches(object.metadata.labels ?? {})) && (!filter || filter(object));

  const items: Entry[] = [];
  let batchSize = limit === undefined ? largestBatch : filtered ? Math.max(limit, smallestFilteredBatch) : Math.min(limit, largestBatch);
  for (;;) {
    const batch = await read({ prefix, start, revision, limit: batchSize });
    revision = batch.revision;
    for (let i = 0; i < batch.entries.length; i++) {
      const entry = batch.entries[i];
      if (!matches(entry.object)) continue;
      items.push(entry);
      if (items.length !== limit) continue;
      const rest = batch.entries.slice(i + 1);
      const more = batch.more || (filtered ? rest.some((e) => matches(e.object)) : rest.length > 0);
      if (!more) return { items, revision };
      const next = keyAfter(entry.key);
      // Kubernetes gives the count only without selectors: with them it is unknown. Counted on
      // the first page and carried in the token; an estimate, as upstream documents it, should
      // a stored value not decode.
      if (filtered || !batch.count) return { items, revision, continue: encodeContinue({ revision, start: next }) };
      const remaining = Math.max(0, left !== undefined ? left - items.length : (await batch.count()) - (i + 1));
      return { items, revision, continue: encodeContinue({ revision, start: next, left: remaining }), remainingItemCount: remaining };
    }
    if (!batch.more || batch.lastKey === undefined) return { items, revision };
    start = keyAfter(batch.lastKey);
    batchSize = filtered || limit === undefined ? Math.min(batchSize * 2, largestBatch) : Math.min(limit - items.length, largestBatch);
  }
}

function pageLimit(limit: number | undefined): number | undefined {
  if (limit === undefined || limit === 0) return undefined;
  if (!Number.isSafeInteger(limit) || limit < 0) throw new BadRequest(`list limit ${limit} must be a positive integer`);
  return limit;
}
