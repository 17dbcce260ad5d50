/**
 * The placement benchmarks' cluster and workload, the same in every run: nodes of three sizes in
 * three zones, half with SSDs, every twentieth a GPU node tainted for GPU pods; pods in workloads
 * of 20 replicas owned by one ReplicaSet, most plain, some with a node selector, GPUs,
 * anti-affinity, a host port or a zone spread constraint.
 */
import type { Node, Pod } from '../../src/api/types';
import { node, pod, PodShape } from '../../controllers/placement/fixtures';
import { place, PlaceOptions } from '../../controllers/placement/place';
import { podInfo } from '../../controllers/placement/pod-info';
import { Snapshot } from '../../controllers/placement/snapshot';

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

export function nodes(count: number): Node[] {
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
export function pods(count: number): Pod[] {
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

export interface Figures {
  perSecond: number;
  p50: number;
  p99: number;
  unschedulable: number;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Places `workload` one pod at a time on `nodeCount` nodes, each assumed before the next; times each decision. */
export function run(nodeCount: number, workload: Pod[], options: PlaceOptions): Figures {
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
