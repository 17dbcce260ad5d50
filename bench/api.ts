/**
 * The API server against etcd itself, in one run, on one etcd:
 * - creates per second through the HTTP API (`berth server` in a child process, keep-alive HTTP)
 *   against raw etcd puts (through the store's KV client) of the same ~1 KB ConfigMap JSON, from the same client process, at the
 *   same concurrency (1, 16, 64, 256), each the median of `--repeat` runs taken in turns; and against a bare Node relay
 *   (support/relay-server.ts: HTTP in, one etcd compare-and-swap, HTTP out), the bound for any API server on one Node thread;
 * - watch fan-out: 1,000 watchers, 100 writes/s, p50/p99 delay from write to delivery, each
 *   side `--fan-out-repeat` times (the sides taking turns) and each figure's median;
 * - memory per idle watcher: the server's RSS before and after opening those watches.
 *
 *   npm run build && npm run bench:api   [--repeat 3] [--fan-out-repeat 3] [--ops 4000] [--seconds 10] [--watchers 1000] [--fan-out-only | --creates-only] [--cpu-prof DIR]
 */
import http from 'node:http';
import os from 'node:os';
import type { Obj } from '../src/api/object';
import { EtcdKv } from '../src/store/etcd-kv';
import { startEtcd } from '../test/support/etcd';
import { ServerProcess, startRawFanOutServer, startRelayServer, startServer } from './api-server';
import { fanOut, FanOutResult } from './api-watch';
import { median, opsPerSecond, table } from './support/measure';
import { cpuMsOf } from './support/proc';

const concurrencies = [1, 16, 64, 256];
const repeat = numberArgument('--repeat', 3);
const fanOutRepeat = Math.max(1, numberArgument('--fan-out-repeat', repeat));
const operations = numberArgument('--ops', 4000);
const seconds = numberArgument('--seconds', 10);
const watcherCount = numberArgument('--watchers', 1000);
const fanOutOnly = process.argv.includes('--fan-out-only');
const createsOnly = process.argv.includes('--creates-only');
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
  /** CPU per create at concurrency 64, by process, for each side (medians). */
  cpuRows: string[][];
  ratioAt64: number;
  relayRatioAt64: number;
}

/** One way of creating: a fresh operation per measurement, and the server process it pays (none for raw puts). */
interface Side {
  name: string;
  operation(): (i: number) => Promise<unknown>;
  server?: ServerProcess;
}

/** CPU time of this process (the clients), in ms. */
function clientCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * API creates against raw puts and against the bare relay at each concurrency, on one etcd, from
 * this process; with the CPU each create cost the clients, the server and etcd.
 */
async function createsAgainstPuts(nodeArgs: string[]): Promise<CreateRates> {
  const etcd = await startEtcd();
  const raw = new EtcdKv({ endpoints: [etcd.endpoint] });
  const server = await startServer({ etcd: etcd.endpoint, prefix: '/bench-api', nodeArgs });
  const relay = await startRelayServer(etcd.endpoint);
  const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(...concurrencies) });
  let run = 0;
  const post = (url: string) => () => {
    const prefix = `run-${++run}`;
    return (i: number) => create(agent, url, Buffer.from(JSON.stringify(configMap(`${prefix}-${i}`))));
  };
  const sides: Side[] = [
    { name: 'api', operation: post(`${server.url}/api/v1/namespaces/default/configmaps`), server },
    { name: 'relay', operation: post(relay.url), server: relay },
    {
      name: 'put',
      operation: () => {
        const prefix = `/bench-raw/registry/core/configmaps/default/run-${++run}`;
        return (i) => raw.put({ key: Buffer.from(`${prefix}-${i}`), value: Buffer.from(JSON.stringify(configMap(`run-${run}-${i}`))) });
      },
    },
  ];
  const etcdCpuMs = () => cpuMsOf(etcd.pid()!);
  /** Creates per second, and CPU µs per create of the clients, the server and etcd. */
  const measure = async (side: Side, concurrency: number): Promise<{ rate: number; cpu: number[] }> => {
    const readings = () => [clientCpuMs(), side.server?.cpuMs() ?? 0, etcdCpuMs()];
    const before = readings();
    const rate = await opsPerSecond(operations, concurrency, side.operation());
    return { rate, cpu: readings().map((ms, i) => ((ms - before[i]) * 1000) / operations) };
  };
  try {
    // Untimed first: connections, JIT, etcd's first allocations.
    for (const side of sides) await opsPerSecond(Math.min(operations, 1000), 16, side.operation());
    const rows: string[][] = [];
    const cpuRows: string[][] = [];
    const rates = { ratioAt64: 0, relayRatioAt64: 0 };
    for (const concurrency of concurrencies) {
      const runs = sides.map(() => ({ rates: [] as number[], cpu: [] as number[][] }));
      for (let r = 0; r < repeat; r++) {
        // Sides take turns at going first, so none always meets a warmer or fuller etcd.
        for (let s = 0; s < sides.length; s++) {
          const at = (r + s) % sides.length;
          const { rate, cpu } = await measure(sides[at], concurrency);
          runs[at].rates.push(rate);
          runs[at].cpu.push(cpu);
        }
      }
      const [api, relayed, put] = runs.map((r) => median(r.rates));
      process.stderr.write(`c=${concurrency}: api ${api.toFixed(0)}/s, relay ${relayed.toFixed(0)}/s, put ${put.toFixed(0)}/s\n`);
      rows.push([String(concurrency), api.toFixed(0), relayed.toFixed(0), put.toFixed(0), (api / put).toFixed(2), (relayed / put).toFixed(2), (api / relayed).toFixed(2)]);
      if (concurrency !== 64) continue;
      Object.assign(rates, { ratioAt64: api / put, relayRatioAt64: relayed / put });
      sides.forEach((side, i) => {
        const cpu = [0, 1, 2].map((p) => median(runs[i].cpu.map((c) => c[p])));
        const total = cpu[0] + cpu[1] + cpu[2];
        const cores = (total * median(runs[i].rates)) / 1e6;
        cpuRows.push([side.name, ...cpu.map((c, p) => (p === 1 && !side.server ? '-' : c.toFixed(0))), total.toFixed(0), cores.toFixed(2)]);
      });
    }
    return { rows, cpuRows, ...rates };
  } finally {
    agent.destroy();
    raw.close();
    await relay.stop();
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

/** Prints the creates' tables; returns the verdict on their goal. */
function printCreates(creates: CreateRates): string {
  const out = process.stdout;
  out.write(`\ncreates per second through the API vs raw etcd puts and a bare Node relay (median of ${repeat} runs of ${operations}, ~1 KB ConfigMap JSON)\n\n`);
  out.write(`${table(['concurrency', 'api/s', 'bare relay/s', 'etcd put/s', 'api/put', 'relay/put', 'api/relay'], creates.rows)}\n`);
  out.write(`\nCPU per create at concurrency 64, µs (medians); cores = CPU per create × creates per second, of ${os.cpus().length} on this machine\n\n`);
  out.write(`${table(['side', 'clients', 'server', 'etcd', 'total', 'cores'], creates.cpuRows)}\n`);
  return `api/put ≥ ${goals.ratioAt64} at concurrency 64: ${creates.ratioAt64.toFixed(2)} ${verdict(creates.ratioAt64 >= goals.ratioAt64)} (the bare relay: ${creates.relayRatioAt64.toFixed(2)})`;
}

/** The verdicts on the fan-out's goals. */
function fanOutVerdicts(fan: FanOutResult): string[] {
  const perWatcher = (fan.rssAfter - fan.rssBefore) / fan.watchers;
  return [
    `fan-out p99 ≤ ${goals.p99Ms} ms: ${verdict(fan.p99Ms <= goals.p99Ms && fan.delivered === fan.expected)}`,
    `≤ ${goals.bytesPerWatcher / 1024} KiB per idle watcher: ${verdict(perWatcher <= goals.bytesPerWatcher)}`,
  ];
}

async function main(): Promise<void> {
  const nodeArgs = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  process.stderr.write(`api bench: ${operations} creates per measurement, median of ${repeat}\n`);
  // Watchers first, while this process's heap is small: a major collection of what the creates
  // leave behind would stall the watchers' reads and be timed as fan-out delay.
  const fans: FanOutResult[] = [];
  const raws: FanOutResult[] = [];
  for (let r = 0; !createsOnly && r < fanOutRepeat; r++) {
    fans.push(await watchers(nodeArgs));
    raws.push(await rawWatchers());
  }
  const creates = fanOutOnly ? undefined : await createsAgainstPuts(nodeArgs);
  const verdicts = [...(creates ? [printCreates(creates)] : []), ...(createsOnly ? [] : fanOutVerdicts(printFanOut(fans, raws)))];
  process.stdout.write(`\ngoals: ${verdicts.join('; ')}\n`);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
