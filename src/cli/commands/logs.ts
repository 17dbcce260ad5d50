/**
 * `berth logs POD|KIND/NAME [-c C] [-f] [--tail N] [--previous] [--since 5m] [--timestamps]`:
 * a container's log through the API server's pods/log (which asks the pod's node agent).
 * The container is chosen as kubectl chooses it: `-c`, else the pod's
 * `kubectl.kubernetes.io/default-container` annotation, else the first one (saying so when
 * there are several). `deploy/web`, `rs/web-1` or `job/x` pick a pod of that workload.
 */
import type { Command } from 'commander';
import { pipeline } from 'node:stream/promises';
import type { Obj } from '../../api/object';
import type { Pod } from '../../api/types';
import { addConnectionFlags, Client, ConnectionOptions, kinds } from '../../client';
import { withSession } from '../connect';
import { parseDurationFlag } from '../duration-flag';
import { CommandError, ExitCode } from '../exit';
import { formatLabelSelector } from '../output/describe/writer';
import { parseOne, ResourceType } from '../resolve';
import { untilSignal } from '../signals';

interface LogsFlags extends ConnectionOptions {
  container?: string;
  follow?: boolean;
  tail?: string;
  previous?: boolean;
  since?: string;
  timestamps?: boolean;
}

const defaultContainerAnnotation = 'kubectl.kubernetes.io/default-container';

/** The container kubectl would pick, and the note it prints when it picked one of several. */
export function defaultContainer(pod: Pod): { name: string; note?: string } {
  const containers = (pod.spec?.containers ?? []).map((c) => c.name);
  const annotated = pod.metadata.annotations?.[defaultContainerAnnotation];
  if (annotated && containers.includes(annotated)) return { name: annotated };
  if (containers.length === 0) throw new CommandError(`pod ${pod.metadata.name} has no containers`);
  const note = containers.length > 1 ? `Defaulted container "${containers[0]}" out of: ${containers.join(', ')}` : undefined;
  return { name: containers[0], note };
}

/** Running and ready first, then the longest-running: the pod whose log says the most. */
function rank(pod: Pod): number[] {
  const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? 0 : 1;
  const running = pod.status?.phase === 'Running' ? 0 : 1;
  return [running, ready, Date.parse(pod.metadata.creationTimestamp ?? '') || 0];
}

/** A pod of a workload (anything with a pod selector: Deployment, ReplicaSet, Job...). */
async function podOf(client: Client, type: ResourceType, obj: Obj): Promise<{ pod: Pod; count: number }> {
  const spec = obj.spec as { selector?: Parameters<typeof formatLabelSelector>[0] } | undefined;
  if (!spec?.selector) throw new CommandError(`cannot pick a pod of ${type.plural} ${obj.metadata.name}: it has no pod selector`, ExitCode.badInput);
  const selector = formatLabelSelector(spec.selector);
  const pods = (await client.resource(kinds.Pod, obj.metadata.namespace).listAll({ labelSelector: selector === '<none>' ? undefined : selector })).items;
  if (pods.length === 0) throw new CommandError(`no pods of ${type.kind.toLowerCase()}/${obj.metadata.name} match ${selector} yet`);
  const best = [...pods].sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  })[0];
  return { pod: best, count: pods.length };
}

export function registerLogs(program: Command): void {
  const command = program
    .command('logs')
    .description("print a pod container's log (or a pod's of a deployment: deploy/NAME)")
    .argument('<target...>', 'a pod name, pod/NAME, or a workload: deploy/NAME, rs/NAME, job/NAME')
    .option('-c, --container <name>', 'the container (default: the pod\'s default container, else its first)')
    .option('-f, --follow', 'keep printing as the container writes')
    .option('--tail <lines>', 'only the last N lines')
    .option('-p, --previous', 'the previous, terminated instance of the container')
    .option('--since <duration>', 'only lines newer than this, e.g. 5m')
    .option('--timestamps', 'prefix each line with its RFC 3339 timestamp');
  addConnectionFlags(command);
  command.action(async (target: string[], flags: LogsFlags) => {
    const tailLines = flags.tail === undefined ? undefined : Number(flags.tail);
    if (tailLines !== undefined && (!Number.isInteger(tailLines) || tailLines < -1)) throw new CommandError(`--tail wants a number of lines, not "${flags.tail}"`, ExitCode.badInput);
    const sinceSeconds = flags.since === undefined ? undefined : Math.max(1, Math.ceil(parseDurationFlag(flags.since, '--since') / 1000));
    await withSession(flags, async (session) => {
      const { type, name } = parseOne(target, await session.types(), 'pods');
      const pods = session.client.resource(kinds.Pod, session.namespace);
      let pod: Pod;
      if (type.group === '' && type.kind === 'Pod') {
        pod = await pods.get(name);
      } else {
        const picked = await podOf(session.client, type, await session.client.resource(type, session.namespace).get(name));
        if (picked.count > 1) process.stderr.write(`Found ${picked.count} pods, using pod/${picked.pod.metadata.name}\n`);
        pod = picked.pod;
      }
      let container = flags.container;
      if (!container) {
        const chosen = defaultContainer(pod);
        if (chosen.note) process.stderr.write(`${chosen.note}\n`);
        container = chosen.name;
      }
      const stop = new AbortController();
      if (flags.follow) void untilSignal().then(() => stop.abort());
      const stream = await pods.logs(pod, {
        container,
        follow: flags.follow,
        previous: flags.previous,
        timestamps: flags.timestamps,
        tailLines: tailLines === -1 ? undefined : tailLines,
        sinceSeconds,
        signal: stop.signal,
      });
      try {
        await pipeline(stream, process.stdout, { end: false });
      } catch (e) {
        if (!stop.signal.aborted) throw e;
      }
    });
  });
}
