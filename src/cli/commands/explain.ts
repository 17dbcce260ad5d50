/**
 * `berth explain POD`: why a pod sits where it is, or why it is pending. The cluster as the
 * placement controller sees it is rebuilt from lists (nodes, pods, namespaces) into a placement
 * Snapshot — without the pod itself, so a bound pod is weighed as if placed anew — and
 * `explain()` runs the placement decision over every node: the filter that rejected each node,
 * the scores of the feasible ones, and what would make a pending pod fit.
 *
 * Exit code 2 when the pod fits nowhere (as `apply --wait` reports unschedulable pods).
 */
import type { Command } from 'commander';
import { explain, Explanation, formatExplanation } from '../../../controllers/placement/explain';
import { Snapshot } from '../../../controllers/placement/snapshot';
import type { Strategy } from '../../../controllers/placement/scores';
import type { Pod } from '../../api/types';
import { addConnectionFlags, Client, ConnectionOptions, kinds } from '../../client';
import { withSession } from '../connect';
import { CommandError, ExitCode } from '../exit';
import { parseOne } from '../resolve';

interface ExplainFlags extends ConnectionOptions {
  placement: string;
}

/** The placement explanation for a pod, against the cluster as it is now. */
export async function explainPod(client: Client, pod: Pod, strategy: Strategy = 'spread'): Promise<Explanation> {
  const [nodes, pods, namespaces] = await Promise.all([
    client.resource(kinds.Node).listAll(),
    client.resource(kinds.Pod).listAll(),
    client.resource(kinds.Namespace).listAll(),
  ]);
  const others = pods.items.filter((p) => p.metadata.uid !== pod.metadata.uid);
  return explain(pod, Snapshot.of(nodes.items, others, namespaces.items), { strategy });
}

/** A pod's explanation as text: for a bound pod, where it runs first. */
export function explanationText(pod: Pod, explanation: Explanation): string {
  const text = formatExplanation(explanation);
  const node = pod.spec?.nodeName;
  return node ? `Pod ${explanation.pod} runs on ${node}. Were it placed now:\n${text}\n` : `${text}\n`;
}

/** Pending, not yet bound, and not on its way out: the pods whose placement is the question. */
export function waitingForPlacement(pod: Pod): boolean {
  return !pod.spec?.nodeName && (pod.status?.phase ?? 'Pending') === 'Pending' && !pod.metadata.deletionTimestamp;
}

export function registerExplain(program: Command): void {
  const command = program
    .command('explain')
    .description('why a pod runs where it does, or why it is pending: every node, the filter that rejected it, the scores of the rest, and what would make it fit (exit 2 when it fits nowhere)')
    .argument('<pod...>', 'a pod name, or pod/NAME')
    .option('--placement <strategy>', 'weigh nodes as the placement controller does: spread or binpack', 'spread');
  addConnectionFlags(command);
  command.action(async (args: string[], flags: ExplainFlags) => {
    if (flags.placement !== 'spread' && flags.placement !== 'binpack') throw new CommandError(`--placement must be spread or binpack, not "${flags.placement}"`, ExitCode.badInput);
    const strategy = flags.placement;
    const fitsNowhere = await withSession(flags, async (session) => {
      const { type, name } = parseOne(args, await session.types(), 'pods');
      if (type.group !== '' || type.kind !== 'Pod') throw new CommandError(`berth explain explains pods, not ${type.plural}`, ExitCode.badInput);
      const pod = await session.client.resource(kinds.Pod, session.namespace).get(name);
      const explanation = await explainPod(session.client, pod, strategy);
      process.stdout.write(explanationText(pod, explanation));
      return explanation.chosen === undefined && waitingForPlacement(pod);
    });
    if (fitsNowhere) process.exitCode = ExitCode.unschedulable;
  });
}
