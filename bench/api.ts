/**
 * The API server against etcd itself, in one run, on one etcd:
 * - creates per second through the HTTP API (`berth server` in a child process, keep-alive HTTP)
 *   against raw etcd puts (through the store's KV client) of the same ~1 KB ConfigMap JSON, from the same client process, at the
 *   same concurrency (1, 16, 64, 256), each the median of `--repeat` runs taken in turns;
 * - watch fan-out: 1,000 watchers, 100 writes/s, p50/p99 delay from write to delivery, each
 *   side `--fan-out-repeat` times (the sides taking turns) and each figure's median;
 * - memory per idle watcher: the server's RSS before and after opening those watches.
 *
 *   npm run build && npm run bench:api   [--repeat 3] [--fan-out-repeat 3] [--ops 4000] [--seconds 10] [--watchers 1000] [--fan-out-only] [--cpu-prof DIR]
 */
import http from 'node:http';
import type { Obj } from '../src/api/object';
import { EtcdKv } from '../src/store/etcd-kv';
import { startEtcd } from '../test/support/etcd';
import { startRawFanOutServer, startServer } from './api-server';
import { fanOut, FanOutResult } from './api-watch';
import { median, opsPerSecond, table } from './support/measure';

const concurrencies = [1, 16, 64, 256];
const repeat = numberArgument('--repeat', 3);
const fanOutRepeat = Math.max(1, numberArgument('--fan-out-repeat', repeat));
const operations = numberArgument('--ops', 4000);
const seconds = numberArgument('--seconds', 10);
const watcherCount = numberArgument('--watchers', 1000);
const fanOutOnly = process.argv.includes('--fan-out-only');
const profileDir = stringArgument('--cpu-prof');

const goals = { ratioAt64: 0.7, p99Ms: 100, bytesPerWatcher: 20 * 1024 };

function numberArgument(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

function stringArgument(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

/** A ConfigMap of about 1 KB of JSON, as the store benchmark writes. */
function configMap(name: string): Obj {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'default', labels: { app: 'bench', tier: 'backend' }, annotations: { note: 'x'.repeat(300) } },
    data: { config: 'y'.repeat(600) },
  };
}

/** POSTs a ConfigMap over a keep-alive connection of `agent`; rejects unless it was created. */
function create(agent: http.Agent, url: string, body: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Content-Length': String(body.length) } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`create answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface CreateRates {
  rows: string[][];
  ratioAt64: number;
}

/** API creates against raw puts at each concurrency, on one etcd, from this process. */
async function createsAgainstPuts(nodeArgs: string[]): Promise<CreateRates> {
  const etcd = await startEtcd();
  const raw = new EtcdKv({ endpoints: [etcd.endpoint] });
  const server = await startServer({ etcd: etcd.endpoint, prefix: '/bench-api', nodeArgs });
  const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(...concurrencies) });
  const collection = `${server.url}/api/v1/namespaces/default/configmaps`;
  let run = 0;
  const sides: Record<string, () => (i: number) => Promise<unknown>> = {
    api: () => {
      const prefix = `run-${++run}`;
      return (i) => create(agent, collection, Buffer.from(JSON.stringify(configMap(`${prefix}-${i}`))));
    },
    put: () => {
      const prefix = `/bench-raw/registry/core/configmaps/default/run-${++run}`;
      return (i) => raw.put({ key: Buffer.from(`${prefix}-${i}`), value: Buffer.from(JSON.stringify(configMap(`run-${run}-${i}`))) });
    },
  };
  try {
    // Untimed first: connections, JIT, etcd's first allocations.
    for (const side of Object.values(sides)) await opsPerSecond(Math.min(operations, 1000), 16, side());
    const rows: string[][] = [];
    let ratioAt64 = 0;
    for (const concurrency of concurrencies) {
      const rates: Record<string, number[]> = { api: [], put: [] };
      for (let r = 0; r < repeat; r++) {
        // Sides take turns at going first, so neither always meets a warmer or fuller etcd.
        for (const side of r % 2 === 0 ? ['api', 'put'] : ['put', 'api']) rates[side].push(await opsPerSecond(operations, concurrency, sides[side]()));
      }
      const api = median(rates.api);
      const put = median(rates.put);
      if (concurrency === 64) ratioAt64 = api / put;
      process.stderr.write(`c=${concurrency}: api ${api.toFixed(0)}/s, put ${put.toFixed(0)}/s\n`);
      rows.push([String(concurrency), api.toFixed(0), put.toFixed(0), (api / put).toFixed(2)]);
    }
    return { rows, ratioAt64 };
  } finally {
    agent.destroy();
    raw.close();
    await server.stop();
    await etcd.destroy();
  }
}

/**
 * Fan-out and idle watcher memory on a fresh server and a fresh etcd: the creates above take
 * etcd past its snapshot count (100,000 writes), and that snapshot's pause would be timed as
 * fan-out delay; the creates' heap would be counted as the watchers'.
 */
async function watchers(nodeArgs: string[]): Promise<FanOutResult> {
  const etcd = await startEtcd();
  const server = await startServer({ etcd: etcd.endpoint, prefix: '/bench-api-watch', nodeArgs, inspect: true });
  try {
    return await fanOut(server, { watchers: watcherCount, writesPerSecond: 100, seconds });
  } finally {
    await server.stop();
    await etcd.destroy();
  }
}

/** The same fan-out from a bare Node server that only writes the event bytes to every socket. */
async function rawWatchers(): Promise<FanOutResult> {
  const server = await startRawFanOutServer();
  try {
    return await fanOut(server, { watchers: watcherCount, writesPerSecond: 100, seconds });
  } finally {
    await server.stop();
  }
}

/** Each figure's median over the runs, on its own; `delivered` is the fewest any run delivered. One run is its own summary. */
function medianFanOut(runs: FanOutResult[]): FanOutResult {
  if (runs.length === 1) return runs[0];
  const of = (pick: (r: FanOutResult) => number) => median(runs.map(pick));
  const perDelivery = (ms: number, r: FanOutResult) => ms / Math.max(1, r.delivered);
  const delivered = Math.min(...runs.map((r) => r.delivered));
  return {
    ...runs[0],
    delivered,
    p50Ms: of((r) => r.p50Ms),
    p99Ms: of((r) => r.p99Ms),
    maxMs: of((r) => r.maxMs),
    rssBefore: of((r) => r.rssBefore),
    rssAfter: of((r) => r.rssBefore) + of((r) => r.rssAfter - r.rssBefore),
    // Per delivered event, then scaled back, so the row's CPU per event is the median's.
    serverCpuMs: of((r) => perDelivery(r.serverCpuMs, r)) * delivered,
    clientCpuMs: of((r) => perDelivery(r.clientCpuMs, r)) * delivered,
  };
}

/** Prints every run and the medians; returns berth's median. */
function printFanOut(fans: FanOutResult[], raws: FanOutResult[]): FanOutResult {
  const out = process.stdout;
  const fan = medianFanOut(fans);
  const raw = medianFanOut(raws);
  const perWatcher = (fan.rssAfter - fan.rssBefore) / fan.watchers;
  const perDelivery = (r: FanOutResult, ms: number) => ((ms * 1000) / Math.max(1, r.delivered)).toFixed(1);
  const row = (side: string, r: FanOutResult) => [side, `${r.delivered}/${r.expected}`, r.p50Ms.toFixed(1), r.p99Ms.toFixed(1), r.maxMs.toFixed(1), perDelivery(r, r.serverCpuMs), perDelivery(r, r.clientCpuMs)];
  const rows = (side: string, runs: FanOutResult[], summary: FanOutResult) =>
    runs.length === 1 ? [row(side, summary)] : [...runs.map((r, i) => row(`${side} run ${i + 1}`, r)), row(`${side} median`, summary)];
  out.write(`\nwatch fan-out: ${fan.watchers} watchers, ${fan.writes / seconds} writes/s for ${seconds} s, write → delivery; baseline: a bare Node server writing the same bytes to as many chunked responses${fans.length > 1 ? `; ${fans.length} runs each, then each figure's median` : ''}\n\n`);
  out.write(`${table(['server', 'delivered', 'p50 ms', 'p99 ms', 'max ms', 'server CPU µs/event', "watchers' CPU µs/event"], [...rows('berth (etcd)', fans, fan), ...rows('raw Node', raws, raw)])}\n`);
  out.write(`p99 berth/raw: ${(fan.p99Ms / Math.max(0.1, raw.p99Ms)).toFixed(2)}; server CPU per event berth/raw: ${(fan.serverCpuMs / fan.delivered / (raw.serverCpuMs / raw.delivered)).toFixed(2)}\n`);
  out.write(`idle watchers: server RSS ${(fan.rssBefore / 2 ** 20).toFixed(1)} MiB before, ${(fan.rssAfter / 2 ** 20).toFixed(1)} MiB with ${fan.watchers}: ${(perWatcher / 1024).toFixed(1)} KiB per watcher\n`);
  return fan;
}

const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

async function main(): Promise<void> {
  const nodeArgs = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  process.stderr.write(`api bench: ${operations} creates per measurement, median of ${repeat}\n`);
  // Watchers first, while this process's heap is small: a major collection of what the creates
  // leave behind would stall the watchers' reads and be timed as fan-out delay.
  const fans: FanOutResult[] = [];
  const raws: FanOutResult[] = [];
  for (let r = 0; r < fanOutRepeat; r++) {
    fans.push(await watchers(nodeArgs));
    raws.push(await rawWatchers());
  }
  if (fanOutOnly) {
    printFanOut(fans, raws);
    return;
  }
  const creates = await createsAgainstPuts(nodeArgs);
  const out = process.stdout;
  out.write(`\ncreates per second through the API vs raw etcd puts (median of ${repeat} runs of ${operations}, ~1 KB ConfigMap JSON)\n\n`);
  out.write(`${table(['concurrency', 'api/s', 'etcd put/s', 'api/put'], creates.rows)}\n`);
  const fan = printFanOut(fans, raws);
  const fanOutMet = fan.p99Ms <= goals.p99Ms && fan.delivered === fan.expected;
  const perWatcher = (fan.rssAfter - fan.rssBefore) / fan.watchers;
  out.write(`\ngoals: api/put ≥ ${goals.ratioAt64} at concurrency 64: ${creates.ratioAt64.toFixed(2)} ${verdict(creates.ratioAt64 >= goals.ratioAt64)}; `);
  out.write(`fan-out p99 ≤ ${goals.p99Ms} ms: ${verdict(fanOutMet)}; `);
  out.write(`≤ ${goals.bytesPerWatcher / 1024} KiB per idle watcher: ${verdict(perWatcher <= goals.bytesPerWatcher)}\n`);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
