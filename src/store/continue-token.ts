/**
 * The `continue` token of a paged list: opaque to callers, base64 of `{ v, rv, start }` — the
 * revision every page is read at (the first page's) and the key the next page starts at.
 */
import { BadRequest } from '../api/errors';

export interface ContinueToken {
  revision: number;
  /** The relative key the next page starts at (inclusive). */
  start: string;
}

const version = 1;

export function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: version, rv: token.revision, start: token.start })).toString('base64');
}

/** Reads a token given back for a list of `prefix`; BadRequest when it is not one of ours. */
export function decodeContinue(text: string, prefix: string): ContinueToken {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
  } catch {
    throw new BadRequest(`the continue token ${JSON.stringify(text)} is not valid: it does not decode`);
  }
  const { v, rv, start } = (parsed ?? {}) as Record<string, unknown>;
  if (v !== version || !Number.isSafeInteger(rv) || (rv as number) <= 0 || typeof start !== 'string') {
    throw new BadRequest(`the continue token ${JSON.stringify(text)} is not valid: it is not a list continuation`);
  }
  if (!start.startsWith(prefix)) {
    throw new BadRequest(`the continue token ${JSON.stringify(text)} belongs to another list than ${prefix}`);
  }
  return { revision: rv as number, start };
}
