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
import { table } from './support/measure';
import { pods, run } from './support/placement-workload';

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
