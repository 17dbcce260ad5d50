/**
 * The node agent against Docker itself, in one run, on the same dockerd:
 * - converge: N busybox pods (N = 50, 100) created through the API at once, until a watch has
 *   seen every one Running, against two baselines at the same parallelism as the agent's pod
 *   workers: N raw container runs (create + start, on the same network: the issue's goal), and
 *   N raw pods, the same two containers a pod is made of (a sandbox on the network holding the
 *   network namespace, the app container joining it), so the second ratio is berth's own cost;
 * - startup latency: 50 pods one after the other, from the create to the watch seeing Running,
 *   p50 and p99, beside the same figures for one raw container run and one raw pod;
 * - memory: the agent's RSS with 100 pods running.
 * The agent is `berth agent` in a child process (from dist/: `npm run build` first), the API
 * server runs in this process over SQLite in a temp dir.
 *
 *   npm run build && node dist/bench/converge.js   [--repeat 1]
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import type { Pod } from '../src/api/types';
import { Client, kinds } from '../src/client';
import { busyboxImage, requireDocker } from '../test/support/busybox-image';
import { startTestApiServer, TestApiServer } from '../test/support/api-server';
import { median, table } from './support/measure';
import { memoryOf } from './support/proc';

const goals = { ratio: 1.25, p99Ms: 500, rssBytes: 80 * 2 ** 20 };
const parallelism = 16; // the agent's pod workers
const repeat = numberArgument('--repeat', 1);
const suffix = randomBytes(3).toString('hex');
const node = `bench-${suffix}`;
const network = `berth-bench-${suffix}`;
const runLabel = { 'berth.bench': suffix };

function numberArgument(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const progress = (text: string) => process.stderr.write(`${text}\n`);

async function startAgentProcess(api: string, dataDir: string): Promise<ChildProcess> {
  const main = path.join(__dirname, '../src/cli/main.js');
  if (!fs.existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
  const args = [main, 'agent', '--server', api, '--node', node, '--network', network, '--data-dir', dataDir, '--node-ip', '127.0.0.1', '--no-service-proxy'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BERTH_LOG_LEVEL: 'warn' } });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`berth agent did not start: ${output}`)), 60_000);
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      if (/registered/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
    child.once('exit', (code) => reject(new Error(`berth agent exited with ${code}: ${output}`)));
  });
  return child;
}

/** Follows the node's pods; resolves waiters when the pods they name are Running. */
class RunningWatch {
  private readonly seen = new Map<string, number>();
  private readonly waiters = new Set<() => void>();
  private readonly stop = new AbortController();

  constructor(client: Client) {
    void (async () => {
      const pods = client.resource(kinds.Pod, 'default');
      const list = await pods.list();
      for await (const event of pods.watch(list.metadata.resourceVersion, this.stop.signal, { fieldSelector: `spec.nodeName=${node}` })) {
        if (event.type === 'BOOKMARK') continue;
        const pod = event.object as Pod;
        if (pod.status?.phase === 'Running' && !this.seen.has(pod.metadata.name!)) {
          this.seen.set(pod.metadata.name!, performance.now());
          for (const wake of this.waiters) wake();
        }
      }
    })().catch((error) => {
      if (!this.stop.signal.aborted) progress(`watch failed: ${error}`);
    });
  }

  /** When each of `names` was first seen Running (performance.now()). */
  async running(names: string[]): Promise<number[]> {
    while (!names.every((n) => this.seen.has(n))) await new Promise<void>((resolve) => this.waiters.add(resolve));
    this.waiters.clear();
    return names.map((n) => this.seen.get(n)!);
  }

  close(): void {
    this.stop.abort();
  }
}

function pod(name: string, image: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'converge' } },
    spec: { nodeName: node, terminationGracePeriodSeconds: 0, containers: [{ name: 'app', image, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }] },
  };
}

async function pool<T>(items: T[], width: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

/** Removes every container of the benchmark (agent's and raw), sandboxes last, and the pods. */
async function clean(docker: Docker, client: Client): Promise<void> {
  await client.resource(kinds.Pod, 'default').deleteCollection({ labelSelector: 'app=converge' }, { gracePeriodSeconds: 0 });
  for (const label of [`berth.node=${node}`, `berth.bench=${suffix}`]) {
    const listed = await docker.listContainers({ all: true, filters: { label: [label] } });
    listed.sort((a, b) => Number(a.Labels['berth.role'] === 'sandbox') - Number(b.Labels['berth.role'] === 'sandbox'));
    await pool(listed, 8, (c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined));
  }
}

async function agentConverge(client: Client, watch: RunningWatch, image: string, count: number, round: number): Promise<number> {
  const names = Array.from({ length: count }, (_, i) => `c${round}-${count}-${i}`);
  const started = performance.now();
  await pool(names, parallelism, (name) => client.resource(kinds.Pod, 'default').create(pod(name, image)));
  const times = await watch.running(names);
  return (Math.max(...times) - started) / 1000;
}

/** One raw container on the network: what `docker run -d` does. */
async function rawContainer(docker: Docker, image: string): Promise<void> {
  const container = await docker.createContainer({ Image: image, Cmd: ['sleep', '3600'], Labels: runLabel, HostConfig: { NetworkMode: network } });
  await container.start();
}

/** One raw pod: a sandbox on the network, then the app container in its network namespace. */
async function rawPod(docker: Docker, image: string): Promise<void> {
  const sandbox = await docker.createContainer({ Image: image, Cmd: ['sleep', '3600'], Labels: runLabel, HostConfig: { NetworkMode: network, Init: true } });
  await sandbox.start();
  const app = await docker.createContainer({ Image: image, Cmd: ['sleep', '3600'], Labels: runLabel, HostConfig: { NetworkMode: `container:${sandbox.id}` } });
  await app.start();
}

const raw = { container: rawContainer, pod: rawPod };
type Side = 'agent' | keyof typeof raw;

async function dockerConverge(docker: Docker, image: string, count: number, run: (docker: Docker, image: string) => Promise<void>): Promise<number> {
  const started = performance.now();
  await pool(Array.from({ length: count }, (_, i) => i), parallelism, () => run(docker, image));
  return (performance.now() - started) / 1000;
}

/** Milliseconds each of `count` raw runs took, one after the other. */
async function rawLatencies(docker: Docker, client: Client, image: string, count: number, run: (docker: Docker, image: string) => Promise<void>): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await run(docker, image);
    latencies.push(performance.now() - started);
  }
  await clean(docker, client);
  return latencies;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const docker = await requireDocker();
  const image = await busyboxImage(docker);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-converge-'));
  const api: TestApiServer = await startTestApiServer('sqlite');
  const client = new Client({ server: api.url, insecureSkipTlsVerify: false, namespace: 'default', source: 'bench' });
  const agent = await startAgentProcess(api.url, path.join(dataDir, 'agent'));
  const watch = new RunningWatch(client);
  const rows: string[][] = [];
  let memory = 0;
  let idle = 0;
  try {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    idle = memoryOf(agent.pid!).rss;
    let round = 0;
    for (const count of [50, 100]) {
      const seconds: Record<Side, number[]> = { agent: [], container: [], pod: [] };
      for (let r = 0; r < repeat; r++) {
        // Sides take turns at going first.
        const sides: Side[] = ['agent', 'container', 'pod'];
        const shift = (round + r) % sides.length;
        for (const side of [...sides.slice(shift), ...sides.slice(0, shift)]) {
          progress(`${count} ${side}...`);
          if (side === 'agent') seconds.agent.push(await agentConverge(client, watch, image, count, round++));
          else seconds[side].push(await dockerConverge(docker, image, count, raw[side]));
          if (side === 'agent' && count === 100) {
            await new Promise((resolve) => setTimeout(resolve, 5000));
            memory = Math.max(memory, memoryOf(agent.pid!).rss);
          }
          await clean(docker, client);
        }
      }
      const [a, c, p] = [median(seconds.agent), median(seconds.container), median(seconds.pod)];
      rows.push([String(count), a.toFixed(2), c.toFixed(2), p.toFixed(2), (a / c).toFixed(2), `≤ ${goals.ratio}`, (a / p).toFixed(2)]);
    }

    progress('startup latency...');
    const latencies: number[] = [];
    for (let i = 0; i < 50; i++) {
      const name = `latency-${i}`;
      const started = performance.now();
      await client.resource(kinds.Pod, 'default').create(pod(name, image));
      const [at] = await watch.running([name]);
      latencies.push(at - started);
    }
    await clean(docker, client);
    progress('raw startup latency...');
    const containerLatencies = await rawLatencies(docker, client, image, 50, rawContainer);
    const podLatencies = await rawLatencies(docker, client, image, 50, rawPod);
    const latencyRow = (what: string, values: number[], goal = '') => [what, percentile(values, 50).toFixed(0), percentile(values, 99).toFixed(0), goal];

    process.stdout.write(
      `Converge: N busybox pods through the API until a watch saw all Running, vs N raw container runs and N raw pods (sandbox + app container) at parallelism ${parallelism}, median of ${repeat}\n\n`,
    );
    process.stdout.write(`${table(['replicas', 'agent s', 'raw containers s', 'raw pods s', 'agent/containers', 'goal', 'agent/pods'], rows)}\n\n`);
    process.stdout.write(
      `${table(['startup latency (50, one at a time)', 'p50 ms', 'p99 ms', 'goal p99'], [
        latencyRow('berth pod: create → Running seen by a watch', latencies, `≤ ${goals.p99Ms} ms`),
        latencyRow('raw container: create + start', containerLatencies),
        latencyRow('raw pod: sandbox + app, create + start', podLatencies),
      ])}\n\n`,
    );
    process.stdout.write(
      `${table(['agent memory', 'RSS MiB', 'goal'], [
        ['idle, node registered', (idle / 2 ** 20).toFixed(1), ''],
        ['100 pods running', (memory / 2 ** 20).toFixed(1), `≤ ${goals.rssBytes / 2 ** 20} MiB`],
      ])}\n`,
    );
  } finally {
    watch.close();
    agent.kill('SIGTERM');
    await new Promise((resolve) => agent.once('exit', resolve));
    await clean(docker, client).catch(() => undefined);
    await docker.getNetwork(network).remove().catch(() => undefined);
    client.close();
    await api.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
