/**
 * Placement end to end: 1,000 Node objects of mixed sizes and 10,000 pending pods of mixed
 * requests in a real API server (`berth server` in a child process, over SQLite and, with
 * --store both, etcd); then `berth controllers --only placement` is started in another child
 * process, and a watch in this one times every pod until it is bound (or reported unschedulable).
 *
 *   npm run build && node dist/bench/placement.js   [--nodes 1000] [--pods 10000] [--store sqlite|etcd|both] [--repeat 3]
 *       [--cpu-prof DIR] [--heap-snapshot DIR]   profiles of both child processes, written to DIR
 *       [--node-flags "FLAGS"]                   V8/Node flags for both child processes, to try heap settings
 *
 * Figures: binds per second from the controller's start to the last bind seen (its start-up and
 * first list included) and over the binding phase alone (first bind to last); the CPU time each
 * process spent per bind meanwhile (a figure other load on the machine hardly moves); the decision time
 * per pod of the same workload in this process (place() alone, no API); the resident memory of
 * the API server and of the controller process once every pod is placed, once settled (the goal
 * is read against this), and their peaks.
 * Each store is measured `--repeat` times (the stores taking turns); every run gets a row, and a
 * last row the median of each figure: on a small machine runs of the same code differ by 25%.
 * Goals: ≥ 1,000 binds/s, ≤ 100 µs per decision, ≤ 300 MB for both processes together.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Node, Pod } from '../src/api/types';
import { Client, kinds } from '../src/client';
import { startEtcd } from '../test/support/etcd';
import { startServer } from './api-server';
import { median, opsPerSecond, table } from './support/measure';
import { cpuMsOf, memoryOf } from './support/proc';
import { nodes, pods, run } from './support/placement-workload';

const goals = { bindsPerSecond: 1000, decisionMicroseconds: 100, megabytes: 300 };
const nodeCount = numberArgument('--nodes', 1000);
const podCount = numberArgument('--pods', 10000);
const repeat = Math.max(1, numberArgument('--repeat', 3));
const stores = (stringArgument('--store') ?? 'sqlite') === 'both' ? ['sqlite', 'etcd'] : [stringArgument('--store') ?? 'sqlite'];
const cpuProfiles = stringArgument('--cpu-prof');
const heapSnapshots = stringArgument('--heap-snapshot');
const nodeFlags = (stringArgument('--node-flags') ?? '').split(' ').filter(Boolean);

/** Node flags for both child processes: those asked for, CPU profiles on exit, heap snapshots on SIGUSR2. */
function childFlags(): string[] {
  const flags: string[] = [...nodeFlags];
  if (cpuProfiles) flags.push('--cpu-prof', `--cpu-prof-dir=${cpuProfiles}`);
  if (heapSnapshots) flags.push('--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${heapSnapshots}`);
  return flags;
}

/** Asks both processes for a heap snapshot and waits until each has written it. */
async function takeHeapSnapshots(pids: number[]): Promise<void> {
  if (!heapSnapshots) return;
  const before = new Set(fs.readdirSync(heapSnapshots));
  for (const pid of pids) process.kill(pid, 'SIGUSR2');
  const written = () => fs.readdirSync(heapSnapshots).filter((f) => !before.has(f) && f.endsWith('.heapsnapshot'));
  while (written().length < pids.length) await new Promise((r) => setTimeout(r, 500));
  // A snapshot is complete once its size stops changing.
  let sizes = '';
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = written().map((f) => fs.statSync(path.join(heapSnapshots, f)).size).join(',');
    if (now === sizes) return;
    sizes = now;
  }
}

function numberArgument(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

function stringArgument(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

/** Resident memory now and at its peak, in bytes, from /proc. */
interface Memory {
  /** When every pod was placed. */
  rss: number;
  /** Once V8 gave back what the burst left (see settle), the steady cost of holding the cluster. */
  settled: number;
  peak: number;
}

/**
 * The processes' RSS once settled: V8 returns a burst's garbage some ten seconds after it, so a
 * reading taken at once says as much about when the collector last ran as about what is held.
 * At least 12 s, then until three readings a second apart agree within 1 MB (at most 40 s).
 */
async function settle(pids: number[]): Promise<number[]> {
  const started = Date.now();
  const readings: number[][] = [];
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    readings.push(pids.map((pid) => memoryOf(pid).rss));
    const last = readings.slice(-3);
    const steady = last.length === 3 && pids.every((_, i) => Math.max(...last.map((r) => r[i])) - Math.min(...last.map((r) => r[i])) < 2 ** 20);
    if ((steady && Date.now() - started >= 12_000) || Date.now() - started >= 40_000) return readings[readings.length - 1];
  }
}


interface ControllerProcess {
  pid: number;
  startedAt: number;
  stop(): Promise<void>;
}

function startPlacement(url: string): ControllerProcess {
  const main = path.join(__dirname, '../src/cli/main.js');
  const startedAt = Date.now();
  const child: ChildProcess = spawn(process.execPath, [...childFlags(), main, 'controllers', '--only', 'placement', '--no-leader-elect', '--server', url], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, BERTH_LOG_LEVEL: 'warn', BERTH_LOG_FORMAT: 'json' },
  });
  let errors = '';
  let stopping = false;
  child.stderr!.on('data', (chunk) => (errors = (errors + chunk).slice(-4000)));
  child.once('exit', (code, signal) => {
    if (!stopping) process.stderr.write(`the placement controller exited (${code ?? signal}): ${errors}\n`);
  });
  return {
    pid: child.pid!,
    startedAt,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        stopping = true;
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

interface Outcome {
  creates: { nodesPerSecond: number; podsPerSecond: number };
  bound: number;
  unschedulable: number;
  firstBindMs: number;
  lastMs: number;
  server: Memory;
  controller: Memory;
  /** CPU each process spent from the controller's start until every pod was placed, in ms. */
  cpu: { server: number; controller: number };
  /** Scheduled events in the store once memory settled (the recorder drops past its queue). */
  scheduledEvents: number;
}

/** Watches pods from `from` until each is bound or reported unschedulable; returns when that happened, relative to `since`. */
async function watchUntilPlaced(client: Client, from: string, total: number, since: () => number, signal: AbortSignal) {
  const bound = new Set<string>();
  const unschedulable = new Set<string>();
  let firstBindMs = -1;
  let lastMs = -1;
  for await (const event of client.resource(kinds.Pod).watch(from, signal, { allowWatchBookmarks: true })) {
    if (event.type === 'BOOKMARK') continue;
    const pod = event.object as Pod;
    const key = pod.metadata.name!;
    if (pod.spec?.nodeName && !bound.has(key)) {
      bound.add(key);
      unschedulable.delete(key);
      if (firstBindMs < 0) firstBindMs = Date.now() - since();
      lastMs = Date.now() - since();
    } else if (!pod.spec?.nodeName && pod.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False')) {
      if (!unschedulable.has(key)) lastMs = Date.now() - since();
      unschedulable.add(key);
    }
    if (bound.size + unschedulable.size >= total) break;
  }
  return { bound: bound.size, unschedulable: unschedulable.size, firstBindMs, lastMs };
}

async function measure(store: string): Promise<Outcome> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-placement-bench-'));
  const etcd = store === 'etcd' ? await startEtcd() : undefined;
  const server = await startServer({ ...(etcd ? { etcd: etcd.endpoint, prefix: '/bench' } : { sqlite: path.join(dir, 'state.db') }), nodeArgs: childFlags() });
  const client = new Client({ server: server.url, insecureSkipTlsVerify: false, namespace: 'default', source: 'bench' });
  const stop = new AbortController();
  let controller: ControllerProcess | undefined;
  try {
    const cluster: Node[] = nodes(nodeCount);
    const workload: Pod[] = pods(podCount).map((p) => ({ ...p, metadata: { ...p.metadata, uid: undefined } }));
    process.stderr.write(`${store}: creating ${cluster.length} nodes and ${workload.length} pods...\n`);
    const nodesPerSecond = await opsPerSecond(cluster.length, 64, (i) => client.resource(kinds.Node).create(cluster[i]));
    const podsPerSecond = await opsPerSecond(workload.length, 64, (i) => client.resource(kinds.Pod).create(workload[i]));
    const { metadata } = await client.resource(kinds.Pod).list({ limit: 1 });

    process.stderr.write(`${store}: starting the placement controller...\n`);
    let startedAt = 0;
    const placed = watchUntilPlaced(client, metadata.resourceVersion!, workload.length, () => startedAt, stop.signal);
    const serverCpuBefore = cpuMsOf(server.pid);
    controller = startPlacement(server.url);
    startedAt = controller.startedAt;
    const result = await placed;
    const cpu = { server: cpuMsOf(server.pid) - serverCpuBefore, controller: cpuMsOf(controller.pid) };
    const atEnd = [memoryOf(server.pid), memoryOf(controller.pid)];
    process.stderr.write(`${store}: every pod placed; waiting for memory to settle...\n`);
    const settled = await settle([server.pid, controller.pid]);
    const [serverMemory, controllerMemory] = atEnd.map((m, i) => ({ rss: m.rss, settled: settled[i], peak: Math.max(m.peak, settled[i]) }));
    const scheduledEvents = (await client.resource(kinds.Event, 'default').list({ fieldSelector: 'reason=Scheduled' })).items.length;
    const outcome = { creates: { nodesPerSecond, podsPerSecond }, ...result, server: serverMemory, controller: controllerMemory, cpu, scheduledEvents };
    await takeHeapSnapshots([server.pid, controller.pid]);
    return outcome;
  } finally {
    stop.abort();
    await controller?.stop();
    client.close();
    await server.stop();
    await etcd?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** One run's figures as numbers, so that runs can be summed up by their medians. */
interface Figures {
  bound: number;
  unschedulable: number;
  firstBindS: number;
  allPlacedS: number;
  bindsPerSecond: number;
  bindingPerSecond: number;
  serverCpuPerBind: number;
  placementCpuPerBind: number;
  serverMb: [number, number, number];
  placementMb: [number, number, number];
}

function figures(o: Outcome): Figures {
  const mb = (m: Memory): [number, number, number] => [m.rss, m.settled, m.peak].map((b) => b / 1024 / 1024) as [number, number, number];
  return {
    bound: o.bound,
    unschedulable: o.unschedulable,
    firstBindS: o.firstBindMs / 1000,
    allPlacedS: o.lastMs / 1000,
    bindsPerSecond: o.bound / (o.lastMs / 1000),
    bindingPerSecond: o.bound / ((o.lastMs - o.firstBindMs) / 1000),
    serverCpuPerBind: (o.cpu.server * 1000) / o.bound,
    placementCpuPerBind: (o.cpu.controller * 1000) / o.bound,
    serverMb: mb(o.server),
    placementMb: mb(o.controller),
  };
}

/** Each figure's median over the runs, on its own (the row need not be one of the runs). */
function medians(runs: Figures[]): Figures {
  const of = (pick: (f: Figures) => number) => median(runs.map(pick));
  const triple = (pick: (f: Figures) => [number, number, number]): [number, number, number] => [0, 1, 2].map((i) => of((f) => pick(f)[i])) as [number, number, number];
  return {
    bound: of((f) => f.bound),
    unschedulable: of((f) => f.unschedulable),
    firstBindS: of((f) => f.firstBindS),
    allPlacedS: of((f) => f.allPlacedS),
    bindsPerSecond: of((f) => f.bindsPerSecond),
    bindingPerSecond: of((f) => f.bindingPerSecond),
    serverCpuPerBind: of((f) => f.serverCpuPerBind),
    placementCpuPerBind: of((f) => f.placementCpuPerBind),
    serverMb: triple((f) => f.serverMb),
    placementMb: triple((f) => f.placementMb),
  };
}

function row(label: string, f: Figures): string[] {
  const mb = (m: number[]) => m.map((x) => x.toFixed(0)).join(' / ');
  return [
    label,
    `${f.bound.toFixed(0)}/${f.unschedulable.toFixed(0)}`,
    f.firstBindS.toFixed(1),
    f.allPlacedS.toFixed(1),
    f.bindsPerSecond.toFixed(0),
    f.bindingPerSecond.toFixed(0),
    f.serverCpuPerBind.toFixed(0),
    f.placementCpuPerBind.toFixed(0),
    mb(f.serverMb),
    mb(f.placementMb),
    // Cut, not rounded: 996 binds/s must not read as 1.00 of a goal of 1,000.
    (Math.floor((100 * f.bindsPerSecond) / goals.bindsPerSecond) / 100).toFixed(2),
    ((f.serverMb[1] + f.placementMb[1]) / goals.megabytes).toFixed(2),
  ];
}

async function main(): Promise<void> {
  const workload = pods(podCount);
  run(nodeCount, workload.slice(0, 2000), {}); // untimed: JIT warm-up
  const decisions = run(nodeCount, workload, {});
  const runs = new Map<string, Figures[]>(stores.map((store) => [store, []]));
  const events: string[] = [];
  // The stores take turns, so that a slow spell of the machine does not fall on one of them only.
  for (let r = 0; r < repeat; r++) {
    for (const store of stores) {
      const o = await measure(store);
      runs.get(store)!.push(figures(o));
      process.stderr.write(`${store}: created ${o.creates.nodesPerSecond.toFixed(0)} nodes/s, ${o.creates.podsPerSecond.toFixed(0)} pods/s\n`);
      events.push(`${store} ${o.scheduledEvents} for ${o.bound} binds`);
    }
  }
  const rows: string[][] = [];
  for (const [store, figuresOfRuns] of runs) {
    if (figuresOfRuns.length === 1) rows.push(row(store, figuresOfRuns[0]));
    else {
      figuresOfRuns.forEach((f, i) => rows.push(row(`${store} run ${i + 1}`, f)));
      rows.push(row(`${store} median`, medians(figuresOfRuns)));
    }
  }
  console.log(`${nodeCount} nodes, ${podCount} pods created first; then the placement controller starts (a child process)${repeat > 1 ? `; ${repeat} runs per store, then each figure's median` : ''}`);
  console.log(
    table(
      ['store', 'bound/unsched.', 'first bind s', 'all placed s', 'binds/s', 'binds/s binding', 'server CPU µs/bind', 'placement CPU µs/bind', 'server MB end/settled/peak', 'placement MB end/settled/peak', `binds/s / ${goals.bindsPerSecond}`, `settled MB / ${goals.megabytes}`],
      rows,
    ),
  );
  console.log(
    `decision alone (place(), same workload, ${nodeCount} nodes, in this process): p50 ${decisions.p50.toFixed(1)} µs, p99 ${decisions.p99.toFixed(1)} µs, ` +
      `${decisions.perSecond.toFixed(0)} decisions/s; p50 / ${goals.decisionMicroseconds} µs = ${(decisions.p50 / goals.decisionMicroseconds).toFixed(2)}`,
  );
  console.log(`Scheduled events written: ${events.join(', ')} (events are best effort: past a queue of 1000 they are dropped, as client-go's are)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
