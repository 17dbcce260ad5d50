/**
 * Authentication by static bearer tokens, in Kubernetes' token file format:
 *   token,user,uid,"group1,group2"
 * With no tokens configured every request is allowed (local development over plain http, where
 * kubectl sends no credentials anyway). Health and version endpoints never need a token.
 */
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { BadRequest, Unauthorized } from '../api/errors';

export interface User {
  name: string;
  uid: string;
  groups: string[];
}

const anonymous: User = { name: 'system:anonymous', uid: '', groups: ['system:unauthenticated'] };
export const openPaths = new Set(['/healthz', '/livez', '/readyz', '/version']);

export class TokenAuthenticator {
  private constructor(private readonly tokens: Map<string, User>) {}

  static none(): TokenAuthenticator {
    return new TokenAuthenticator(new Map());
  }

  static fromEntries(entries: Array<[token: string, user: User]>): TokenAuthenticator {
    return new TokenAuthenticator(new Map(entries));
  }

  /** Reads a token file; a malformed line is an error naming the file and line. */
  static fromFile(path: string): TokenAuthenticator {
    const tokens = new Map<string, User>();
    const lines = fs.readFileSync(path, 'utf8').split('\n');
    lines.forEach((line, i) => {
      const text = line.trim();
      if (text === '' || text.startsWith('#')) return;
      const fields = parseCsvLine(text);
      if (fields.length < 3 || !fields[0] || !fields[1]) {
        throw new Error(`${path}:${i + 1}: expected token,user,uid[,"groups"]`);
      }
      const groups = fields[3] ? fields[3].split(',').map((g) => g.trim()).filter(Boolean) : [];
      tokens.set(fields[0], { name: fields[1], uid: fields[2], groups: [...groups, 'system:authenticated'] });
    });
    return new TokenAuthenticator(tokens);
  }

  get enabled(): boolean {
    return this.tokens.size > 0;
  }

  /**
   * The user the request acts as: its token's (an admin when no tokens are configured), or the
   * one it impersonates (`kubectl --as`). Throws Unauthorized when tokens are configured and none
   * matches.
   */
  authenticate(req: IncomingMessage, path: string): User {
    const requester = this.requester(req, path);
    return impersonated(req) ?? requester;
  }

  private requester(req: IncomingMessage, path: string): User {
    if (!this.enabled) return { name: 'admin', uid: '', groups: ['system:masters', 'system:authenticated'] };
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match) {
      const user = this.lookup(match[1]);
      if (user) return user;
    }
    if (openPaths.has(path)) return anonymous;
    throw new Unauthorized('Unauthorized');
  }

  private lookup(token: string): User | undefined {
    const given = Buffer.from(token);
    for (const [known, user] of this.tokens) {
      const expected = Buffer.from(known);
      if (expected.length === given.length && timingSafeEqual(expected, given)) return user;
    }
    return undefined;
  }
}

/**
 * The user named by the Impersonate-User, -Group and -Uid headers, or undefined without them.
 * Authorization by role does not exist yet, so whoever may make requests may impersonate (as
 * with upstream's AlwaysAllow); the requester must still have authenticated first.
 */
function impersonated(req: IncomingMessage): User | undefined {
  const name = req.headers['impersonate-user'];
  const uid = req.headers['impersonate-uid'];
  if (typeof name !== 'string') {
    if (req.headers['impersonate-group'] !== undefined || uid !== undefined) throw new BadRequest('requested impersonation of groups or a uid without impersonating a user');
    return undefined;
  }
  // Each group as sent (the joined header would split a name holding a comma); built only here,
  // as Node builds headersDistinct from every header on first use.
  const groups = req.headersDistinct?.['impersonate-group'] ?? [];
  const anonymousName = name === anonymous.name;
  const stated = groups.includes('system:authenticated') || groups.includes('system:unauthenticated');
  const implied = stated ? [] : [anonymousName ? 'system:unauthenticated' : 'system:authenticated'];
  return { name, uid: typeof uid === 'string' ? uid : '', groups: [...groups, ...implied] };
}

/** One CSV line with double-quoted fields (quotes doubled inside). */
function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        current += '"';
        i++;
      } else if (c === '"') quoted = false;
      else current += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(current.trim());
      current = '';
    } else current += c;
  }
  fields.push(current.trim());
  return fields;
}
