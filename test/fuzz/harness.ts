/**
 * What every fuzz test needs: raw requests (any bytes, any or no Content-Type), a bounded number
 * in flight with a deadline each (a hang is a failure), a snapshot of everything the store holds,
 * and a report of every answer that was not a 4xx.
 */
import http from 'node:http';
import type { Store } from '../../src/store/store';

export interface FuzzCase {
  /** What was sent, for the report: `POST configmaps: truncated at 17`. */
  name: string;
  method: string;
  /** Path and query, without the host. */
  path: string;
  body?: Buffer;
  /** Sent as is; undefined sends no Content-Type header at all. */
  contentType?: string;
}

export interface FuzzAnswer {
  fuzz: FuzzCase;
  status: number;
  text: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

/** Sends one case; a request that gets no answer within `timeoutMs` fails with a "hang" status of -1. */
export function send(base: string, fuzz: FuzzCase, timeoutMs = 10000): Promise<FuzzAnswer> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (fuzz.contentType !== undefined) headers['Content-Type'] = fuzz.contentType;
  if (fuzz.body) headers['Content-Length'] = String(fuzz.body.length);
  return new Promise((resolve) => {
    const { hostname, port } = new URL(base);
    // The path goes out byte for byte, so targets no URL parser would build still reach the server.
    const req = http.request({ hostname, port, path: fuzz.path, method: fuzz.method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ fuzz, status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8').slice(0, 300) }));
      res.on('error', (e) => resolve({ fuzz, status: 0, text: `response error: ${e.message}` }));
    });
    req.setTimeout(timeoutMs, () => {
      req.destroy();
      resolve({ fuzz, status: -1, text: `no answer in ${timeoutMs} ms` });
    });
    req.on('error', (e) => resolve({ fuzz, status: 0, text: `request error: ${e.message}` }));
    req.end(fuzz.body);
  });
}

/**
 * Sends every case with `concurrency` in flight; between batches checks that /healthz still
 * answers. Returns every answer that was not a 4xx (5xx, hangs, connection errors, successes).
 */
export async function fuzz(base: string, cases: FuzzCase[], concurrency = 8): Promise<FuzzAnswer[]> {
  const wrong: FuzzAnswer[] = [];
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const answer = await send(base, cases[next++]);
      if (answer.status < 400 || answer.status >= 500) wrong.push(answer);
      if (next % 500 === 0) await assertHealthy(base);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await assertHealthy(base);
  return wrong;
}

export async function assertHealthy(base: string): Promise<void> {
  const answer = await send(base, { name: 'healthz', method: 'GET', path: '/healthz' }, 5000);
  if (answer.status !== 200) throw new Error(`/healthz stopped answering: ${answer.status} ${answer.text}`);
}

/**
 * The answers a human needs to read: grouped by status and by what was done to the body (the
 * case name without its numbers), with a count and one example of each group.
 */
export function report(answers: FuzzAnswer[]): string {
  const groups = new Map<string, FuzzAnswer[]>();
  for (const a of answers) {
    const key = `${a.status} ${a.fuzz.name.replace(/\d+/g, 'N')}`;
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  return [...groups]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, list]) => `${key} × ${list.length}: ${list[0].fuzz.method} ${list[0].fuzz.path.slice(0, 80)} → ${list[0].text.slice(0, 160)}`)
    .join('\n');
}

/** Every key the store holds with its modRevision, and the store's revision: any write changes it. */
export async function snapshot(store: Store): Promise<{ revision: number; keys: string[] }> {
  const list = await store.list('/');
  return { revision: await store.currentRevision(), keys: list.items.map((e) => `${e.key}@${e.modRevision}`) };
}
