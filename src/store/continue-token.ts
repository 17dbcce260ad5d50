/**
 * The `continue` token of a paged list: opaque to callers, base64 of `{ v, rv, start, left }` — the
 * revision every page is read at (the first page's), the key the next page starts at, and, for a
 * list without selectors, how many items remain (counted once, on the first page: on SQLite a
 * count reads every key of the range, which per page made a paged list's cost grow with its square).
 */
import { BadRequest } from '../api/errors';

export interface ContinueToken {
  revision: number;
  /** The relative key the next page starts at (inclusive). */
  start: string;
  /** Items from `start` on, as the previous page reported them (remainingItemCount). */
  left?: number;
}

const version = 1;

export function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: version, rv: token.revision, start: token.start, left: token.left })).toString('base64');
}

/** Reads a token given back for a list of `prefix`; BadRequest when it is not one of ours. */
export function decodeContinue(text: string, prefix: string): ContinueToken {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
  } catch {
    throw new BadRequest(`the continue token ${JSON.stringify(text)} is not valid: it does not decode`);
  }
  const { v, rv, start, left } = (parsed ?? {}) as Record<string, unknown>;
  const count = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
  if (v !== version || !count(rv) || rv === 0 || typeof start !== 'string' || (left !== undefined && !count(left))) {
    throw new BadRequest(`the continue token ${JSON.stringify(text)} is not valid: it is not a list continuation`);
  }
  if (!start.startsWith(prefix)) {
    throw new BadRequest(`the continue token ${JSON.stringify(text)} belongs to another list than ${prefix}`);
  }
  return { revision: rv as number, start, ...(left !== undefined ? { left: left as number } : {}) };
}
