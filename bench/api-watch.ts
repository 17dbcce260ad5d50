/**
 * Watch fan-out and idle watcher memory against a `berth server` child process:
 * - opens `watchers` plain HTTP watches (one connection each) on one namespace's ConfigMaps,
 *   measuring the server's settled RSS before and after (memory per idle watcher);
 * - creates ConfigMaps at a steady `writesPerSecond` and times, for every watcher and every
 *   write, the delay from sending the write to the event arriving at the watcher.
 */
import http from 'node:http';
import net from 'node:net';
import type { ServerProcess } from './api-server';

export interface FanOutResult {
  watchers: number;
  writes: number;
  delivered: number;
  expected: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  rssBefore: number;
  rssAfter: number;
  /** CPU spent while the timed writes were delivered, in ms: the server, and the watchers' side (this process). */
  serverCpuMs: number;
  clientCpuMs: number;
}

export interface FanOutOptions {
  watchers: number;
  writesPerSecond: number;
  seconds: number;
}

const namespace = 'fanout';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function fanOut(server: ServerProcess, options: FanOutOptions): Promise<FanOutResult> {
  await call(server.url, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  const collection = `/api/v1/namespaces/${namespace}/configmaps`;
  const list = JSON.parse(await call(server.url, 'GET', collection)) as { metadata: { resourceVersion: string } };

  const rssBefore = await settledRss(server);

  const sentAt = new Map<string, bigint>();
  const totalWrites = options.writesPerSecond * options.seconds;
  const delays = new Float64Array(options.watchers * totalWrites);
  let delivered = 0;
  // One connection per watcher, as separate clients would have. Plain sockets, and no parsing
  // beyond finding each event's name: the benchmark's own work must not delay what it measures.
  const sockets: net.Socket[] = [];
  const { hostname, port } = new URL(server.url);
  const request = `GET ${collection}?watch=true&resourceVersion=${list.metadata.resourceVersion} HTTP/1.1\r\nHost: ${hostname}\r\nAccept: application/json\r\n\r\n`;
  let opened = 0;
  for (let w = 0; w < options.watchers; w++) {
    const socket = net.connect(Number(port), hostname, () => socket.write(request));
    socket.setEncoding('latin1');
    let headers = true;
    let rest = '';
    socket.on('data', (chunk: string) => {
      const now = process.hrtime.bigint();
      let text = rest + chunk;
      if (headers) {
        const end = text.indexOf('\r\n\r\n');
        if (end < 0) return void (rest = text);
        headers = false;
        opened++;
        text = text.slice(end + 4);
      }
      // A name cut by a read boundary is found whole on the next read.
      let at = text.indexOf('"name":"w-');
      let last = 0;
      while (at >= 0) {
        const end = text.indexOf('"', at + 8);
        if (end < 0) break;
        const started = sentAt.get(text.slice(at + 8, end));
        if (started !== undefined) delays[delivered++] = Number(now - started) / 1e6;
        last = end + 1;
        at = text.indexOf('"name":"w-', last);
      }
      // Keep an unfinished name, or enough of the end to hold the start of one.
      rest = at >= 0 ? text.slice(at) : text.slice(Math.max(last, text.length - 9));
    });
    socket.on('error', () => undefined);
    sockets.push(socket);
  }
  while (opened < options.watchers) await sleep(50);
  const rssAfter = await settledRss(server);

  // A second of the same writes untimed first (named so the watchers ignore them): the first
  // deliveries to a thousand sockets pay for compiling the paths they take.
  await steadyWrites(server.url, collection, 'warm', options.writesPerSecond, options.writesPerSecond);
  const serverCpuBefore = server.cpuMs();
  const clientCpuBefore = process.cpuUsage();
  await steadyWrites(server.url, collection, 'w', options.writesPerSecond, totalWrites, (name) => sentAt.set(name, process.hrtime.bigint()));
  const expected = options.watchers * totalWrites;
  const deadline = Date.now() + 30000;
  while (delivered < expected && Date.now() < deadline) await sleep(50);
  const serverCpuMs = server.cpuMs() - serverCpuBefore;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  for (const socket of sockets) socket.destroy();

  const sorted = delays.slice(0, delivered).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return {
    watchers: options.watchers,
    writes: totalWrites,
    delivered,
    expected,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: sorted[sorted.length - 1],
    rssBefore,
    rssAfter,
    serverCpuMs,
    clientCpuMs: (clientCpu.user + clientCpu.system) / 1000,
  };
}

/**
 * The server's RSS once it has settled: a reading says more about when the collector last ran
 * than about what is held, so the server collects all its garbage first (when it can be asked
 * to), and V8 gives back the pages it freed some seconds later. Waits at least 12 s, then until
 * three readings a second apart agree (at most 30 s).
 */
async function settledRss(server: ServerProcess): Promise<number> {
  await server.collectGarbage?.();
  const started = Date.now();
  const readings: number[] = [];
  for (;;) {
    await sleep(1000);
    readings.push(server.rss());
    const last = readings.slice(-3);
    const steady = last.length === 3 && last.every((r) => r === last[0]);
    if ((steady && Date.now() - started >= 12000) || Date.now() - started >= 30000) return readings[readings.length - 1];
  }
}

/** Creates `count` ConfigMaps named `<prefix>-<i>`, `perSecond` of them each second, on schedule whatever their latency. */
async function steadyWrites(base: string, collection: string, prefix: string, perSecond: number, count: number, sending?: (name: string) => void): Promise<void> {
  const writes: Array<Promise<string>> = [];
  const start = process.hrtime.bigint();
  const interval = 1e9 / perSecond;
  for (let i = 0; i < count; i++) {
    const due = start + BigInt(Math.round(i * interval));
    const wait = Number(due - process.hrtime.bigint()) / 1e6;
    if (wait > 1) await sleep(wait);
    const name = `${prefix}-${i}`;
    sending?.(name);
    writes.push(call(base, 'POST', collection, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { payload: 'x'.repeat(200) } }));
  }
  await Promise.all(writes);
}

const writer = new http.Agent({ keepAlive: true, maxSockets: 16 });

/** One request with a JSON body; resolves with the response text, rejects on a non-2xx. */
export function call(base: string, method: string, path: string, body?: unknown): Promise<string> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}${path}`,
      { method, agent: writer, headers: { Accept: 'application/json', ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) } : {}) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => ((res.statusCode ?? 0) < 300 ? resolve(text) : reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`))));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
