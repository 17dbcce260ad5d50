/**
 * Keys given to a store are relative (`/registry/core/pods/default/web`); each backend puts its
 * own prefix in front. Both backends order keys by their UTF-8 bytes, as etcd does.
 */
import { BadRequest } from '../api/errors';

/** Throws BadRequest unless `key` is a relative store key (it starts with `/`). */
export function checkKey(key: string, what = 'key'): void {
  if (typeof key !== 'string' || !key.startsWith('/')) {
    throw new BadRequest(`store ${what} ${JSON.stringify(key)} must start with "/"`);
  }
}

/**
 * The smallest string greater than every string that starts with `prefix`: the prefix with its last
 * character incremented (prefixes end with `/`, which becomes `0`).
 */
export function prefixEnd(prefix: string): string {
  if (prefix === '') throw new BadRequest('a store prefix cannot be empty: use "/" for every key');
  const last = prefix.charCodeAt(prefix.length - 1);
  // A surrogate half or U+FFFF cannot be incremented into a character that sorts right after it.
  if ((last >= 0xd7ff && last <= 0xdfff) || last === 0xffff) {
    throw new BadRequest(`store prefix ${JSON.stringify(prefix)} must end with an ordinary character such as "/"`);
  }
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}

/** The key right after `key` in byte order: where the next page starts. */
export function keyAfter(key: string): string {
  return `${key}\u0000`;
}
