/**
 * `berth cordon|uncordon|drain NODE`, as kubectl does them:
 *
 *   cordon    spec.unschedulable = true: placement stops choosing the node
 *   uncordon  spec.unschedulable removed
 *   drain     cordon, then evict every pod on the node through the eviction API, except
 *             DaemonSet-owned and mirror pods; pods no controller would recreate, and pods with
 *             emptyDir data, only with --force / --delete-emptydir-data; then wait until the
 *             evicted pods are gone (--timeout), retrying evictions a disruption budget refuses.
 */
import type { Command } from 'commander';
import { isNotFound, TooManyRequests } from '../../api/errors';
import type { Node, Pod } from '../../api/types';
import { addConnectionFlags, Client, ConnectionOptions, kinds } from '../../client';
import { Session, withSession } from '../connect';
import { parseDurationFlag } from '../duration-flag';
import { CommandError, ExitCode } from '../exit';
import { untilSignal } from '../signals';

interface DrainFlags extends ConnectionOptions {
  force?: boolean;
  gracePeriod: string;
  timeout?: string;
  deleteEmptydirData?: boolean;
  selector?: string;
}

const mirrorAnnotation = 'kubernetes.io/config.mirror';
const pollMs = 500;

/** Sets or clears spec.unschedulable; false when it already was as asked. */
async function setUnschedulable(client: Client, name: string, unschedulable: boolean): Promise<boolean> {
  const nodes = client.resource(kinds.Node);
  const node: Node = await nodes.get(name);
  if (Boolean(node.spec?.unschedulable) === unschedulable) return false;
  await nodes.patch(name, 'strategic', { spec: { unschedulable: unschedulable ? true : null } });
  return true;
}

async function cordon(session: Session, names: string[], unschedulable: boolean): Promise<void> {
  const verb = unschedulable ? 'cordoned' : 'uncordoned';
  for (const name of names) {
    const changed = await setUnschedulable(session.client, name, unschedulable);
    process.stdout.write(`node/${name} ${changed ? verb : `already ${verb}`}\n`);
  }
}

interface Plan {
  evict: Pod[];
  ignored: Pod[];
  refused: string[];
}

/** Which pods a drain evicts, which it leaves (DaemonSet and mirror pods) and which it may not touch. */
export function drainPlan(pods: Pod[], flags: Pick<DrainFlags, 'force' | 'deleteEmptydirData'>): Plan {
  const plan: Plan = { evict: [], ignored: [], refused: [] };
  const unmanaged: string[] = [];
  const local: string[] = [];
  for (const pod of pods) {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const controller = pod.metadata.ownerReferences?.find((o) => o.controller);
    if (pod.metadata.annotations?.[mirrorAnnotation] !== undefined || controller?.kind === 'DaemonSet') {
      plan.ignored.push(pod);
      continue;
    }
    const finished = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    if (!controller && !finished && !flags.force) unmanaged.push(key);
    else if (!finished && pod.spec?.volumes?.some((v) => v.emptyDir) && !flags.deleteEmptydirData) local.push(key);
    else plan.evict.push(pod);
  }
  if (unmanaged.length > 0) plan.refused.push(`cannot delete Pods that declare no controller (use --force to override): ${unmanaged.join(', ')}`);
  if (local.length > 0) plan.refused.push(`cannot delete Pods with local storage (use --delete-emptydir-data to override): ${local.join(', ')}`);
  return plan;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** Evicts one pod, retrying while a disruption budget says not now. */
async function evict(client: Client, pod: Pod, gracePeriodSeconds: number | undefined, signal: AbortSignal): Promise<void> {
  const pods = client.resource(kinds.Pod, pod.metadata.namespace);
  for (;;) {
    try {
      await pods.evict(pod.metadata.name!, { gracePeriodSeconds });
      return;
    } catch (e) {
      if (isNotFound(e)) return;
      if (!(e instanceof TooManyRequests) || signal.aborted) throw e;
      process.stderr.write(`error when evicting pods/"${pod.metadata.name}" -n "${pod.metadata.namespace}" (will retry after 5s): ${e.message}\n`);
      await sleep(5_000, signal);
    }
  }
}

/** Waits until the pod is gone (or replaced by another of the same name); false when `signal` ends the wait first. */
async function gone(client: Client, pod: Pod, signal: AbortSignal): Promise<boolean> {
  const pods = client.resource(kinds.Pod, pod.metadata.namespace);
  for (;;) {
    try {
      const now = await pods.get(pod.metadata.name!);
      if (now.metadata.uid !== pod.metadata.uid) return true;
    } catch (e) {
      if (isNotFound(e)) return true;
      throw e;
    }
    if (signal.aborted) return false;
    await sleep(pollMs, signal);
  }
}

async function drain(session: Session, name: string, flags: DrainFlags): Promise<void> {
  const client = session.client;
  await client.resource(kinds.Node).get(name);
  const changed = await setUnschedulable(client, name, true);
  process.stdout.write(`node/${name} ${changed ? 'cordoned' : 'already cordoned'}\n`);
  const fieldSelector = `spec.nodeName=${name}`;
  const pods = (await client.resource(kinds.Pod).listAll({ fieldSelector, labelSelector: flags.selector })).items;
  const plan = drainPlan(pods, flags);
  if (plan.refused.length > 0) throw new CommandError(`unable to drain node "${name}" due to error: ${plan.refused.join(', ')}; the node stays cordoned`);
  if (plan.ignored.length > 0) {
    process.stderr.write(`Warning: ignoring DaemonSet-managed and mirror Pods: ${plan.ignored.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).join(', ')}\n`);
  }
  const grace = Number(flags.gracePeriod);
  if (!Number.isInteger(grace)) throw new CommandError(`--grace-period wants whole seconds (or -1 for each pod's own), not "${flags.gracePeriod}"`, ExitCode.badInput);
  const stop = new AbortController();
  void untilSignal().then(() => stop.abort());
  const timeoutMs = flags.timeout ? parseDurationFlag(flags.timeout, '--timeout') : 0;
  const timer = timeoutMs > 0 ? setTimeout(() => stop.abort(), timeoutMs) : undefined;
  try {
    await Promise.all(
      plan.evict.map(async (pod) => {
        process.stdout.write(`evicting pod ${pod.metadata.namespace}/${pod.metadata.name}\n`);
        await evict(client, pod, grace < 0 ? undefined : grace, stop.signal);
        if (await gone(client, pod, stop.signal)) process.stdout.write(`pod/${pod.metadata.name} evicted\n`);
      }),
    );
    if (stop.signal.aborted) {
      const left = [];
      for (const pod of plan.evict) if (!(await gone(client, pod, AbortSignal.abort()))) left.push(`${pod.metadata.namespace}/${pod.metadata.name}`);
      throw new CommandError(`drain did not complete within ${flags.timeout ?? 'the time given'}; still on node/${name}: ${left.join(', ') || 'none'}`);
    }
  } finally {
    clearTimeout(timer);
  }
  process.stdout.write(`node/${name} drained\n`);
}

export function registerNodeCommands(program: Command): void {
  for (const [verb, unschedulable, description] of [
    ['cordon', true, 'mark nodes unschedulable: placement puts no new pods there'],
    ['uncordon', false, 'mark nodes schedulable again'],
  ] as const) {
    const command = program.command(verb).description(description).argument('<nodes...>', 'node names');
    addConnectionFlags(command);
    command.action(async (names: string[], flags: ConnectionOptions) => withSession(flags, (session) => cordon(session, names, unschedulable)));
  }
  const command = program
    .command('drain')
    .description('cordon a node and evict its pods (not DaemonSet or mirror pods), waiting until they are gone')
    .argument('<node>', 'the node to drain')
    .option('--force', 'also delete pods no controller manages (they will not come back)')
    .option('--delete-emptydir-data', 'also evict pods with emptyDir volumes (their data is lost)')
    .option('--grace-period <seconds>', "seconds each pod gets to stop; -1 means each pod's own", '-1')
    .option('--timeout <duration>', 'give up after this long, e.g. 2m (default: wait as long as it takes)')
    .option('-l, --selector <selector>', 'only evict pods whose labels match');
  addConnectionFlags(command);
  command.action(async (name: string, flags: DrainFlags) => withSession(flags, (session) => drain(session, name, flags)));
}
