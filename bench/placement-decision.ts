/**
 * Placement decisions per second: a cluster of mixed nodes (three sizes, three zones, some SSD,
 * some GPU nodes tainted for GPU pods), and 10,000 pods of mixed workloads placed one by one,
 * each bound into the snapshot (`assume`) before the next, so later decisions meet a fuller
 * cluster. A decision is compiling the pod and `place()`; the figures are its duration.
 *
 *   npm run build && node dist/bench/placement-decision.js   [--pods 10000] [--nodes 1000,5000]
 *
 * Each cluster size is measured with upstream's adaptive sample (percentageOfNodesToScore 0,
 * the default) and with every node scored (100). The baseline is the 100 µs budget per decision.
 */
import type { Node, Pod } from '../src/api/types';
import { node, pod, PodShape } from '../controllers/placement/fixtures';
import { place, PlaceOptions } from '../controllers/placement/place';
import { podInfo } from '../controllers/placement/pod-info';
import { Snapshot } from '../controllers/placement/snapshot';
import { table } from './support/measure';

const budgetMicroseconds = 100;
const podCount = numberArgument('--pods', 10000);
const clusterSizes = (argument('--nodes') ?? '1000,5000').split(',').map(Number);

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

function numberArgument(name: string, fallback: number): number {
  const value = argument(name);
  return value === undefined ? fallback : Number(value);
}

/** A small deterministic generator, so every run places the same pods on the same nodes. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const sizes = [
  { cpu: '4', memory: '16Gi', pods: '110' },
  { cpu: '8', memory: '32Gi', pods: '110' },
  { cpu: '16', memory: '64Gi', pods: '250' },
];

function nodes(count: number): Node[] {
  const next = random(7);
  return Array.from({ length: count }, (_, i) => {
    const name = `node-${String(i).padStart(5, '0')}`;
    const size = sizes[Math.floor(next() * sizes.length)];
    const gpu = i % 20 === 0;
    const labels: Record<string, string> = { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': `zone-${'abc'[i % 3]}` };
    if (next() < 0.5) labels.disktype = 'ssd';
    return node(name, {
      ...size,
      storage: '100Gi',
      labels,
      ...(gpu ? { extended: { 'nvidia.com/gpu': '4' }, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } : {}),
    });
  });
}

const cpus = ['100m', '250m', '500m', '1', '2'];
const memories = ['128Mi', '256Mi', '512Mi', '1Gi', '2Gi'];

/** Workloads of 20 replicas each, owned by one ReplicaSet; some with constraints. */
function pods(count: number): Pod[] {
  const next = random(11);
  const result: Pod[] = [];
  for (let workload = 0; result.length < count; workload++) {
    const app = `app-${workload}`;
    const kind = next();
    const shape: PodShape = { labels: { app }, owner: `rs-${workload}`, cpu: cpus[Math.floor(next() * cpus.length)], memory: memories[Math.floor(next() * memories.length)] };
    if (kind < 0.1) shape.nodeSelector = { disktype: 'ssd' };
    else if (kind < 0.12) {
      shape.extended = { 'nvidia.com/gpu': '1' };
      shape.tolerations = [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }];
    } else if (kind < 0.17) {
      shape.affinity = {
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app } } }] },
      };
    } else if (kind < 0.18) {
      shape.hostPorts = [{ port: 8080 }];
    } else if (kind < 0.23) {
      shape.spread = [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app } } }];
    }
    for (let replica = 0; replica < 20 && result.length < count; replica++) result.push(pod(`${app}-${replica}`, { ...shape, uid: `uid-${result.length}` }));
  }
  return result;
}

interface Figures {
  perSecond: number;
  p50: number;
  p99: number;
  unschedulable: number;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function run(nodeCount: number, workload: Pod[], options: PlaceOptions): Figures {
  const snapshot = Snapshot.of(nodes(nodeCount), []);
  const durations = new Float64Array(workload.length);
  let unschedulable = 0;
  const started = process.hrtime.bigint();
  workload.forEach((pod, i) => {
    const before = process.hrtime.bigint();
    const info = podInfo(pod);
    const result = place(info, snapshot, options);
    durations[i] = Number(process.hrtime.bigint() - before) / 1000;
    if ('bound' in result) snapshot.assume(info, result.bound);
    else unschedulable++;
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  durations.sort();
  return { perSecond: workload.length / seconds, p50: percentile(durations, 50), p99: percentile(durations, 99), unschedulable };
}

function main(): void {
  const workload = pods(podCount);
  // Untimed first: the JIT must not bill its warm-up to whichever row goes first.
  run(Math.min(...clusterSizes), workload.slice(0, 2000), {});
  const rows: string[][] = [];
  for (const size of clusterSizes) {
    for (const [label, options] of [
      ['adaptive sample', {}],
      ['every node', { percentageOfNodesToScore: 100 }],
    ] as const) {
      process.stderr.write(`placing ${workload.length} pods on ${size} nodes, ${label}...\n`);
      const f = run(size, workload, options);
      rows.push([
        String(size),
        label,
        f.perSecond.toFixed(0),
        f.p50.toFixed(1),
        f.p99.toFixed(1),
        String(f.unschedulable),
        (f.p50 / budgetMicroseconds).toFixed(2),
      ]);
    }
  }
  console.log(`${workload.length} pods placed one by one (each assumed before the next); µs per decision`);
  console.log(table(['nodes', 'nodes scored', 'decisions/s', 'p50 µs', 'p99 µs', 'unschedulable', `p50/${budgetMicroseconds}µs`], rows));
}

main();
