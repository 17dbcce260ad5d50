/**
 * `berth rollout status|history|undo|restart|pause|resume deploy/NAME`, as kubectl rollout does
 * them for Deployments:
 *
 *   status   watch until rolled out; exit 1 when the progress deadline passes or --timeout does
 *   history  revisions and change-causes (or one revision's pod template)
 *   undo     back to the previous revision, or --to-revision N
 *   restart  a new rollout: the template annotation kubectl.kubernetes.io/restartedAt
 *   pause    stop rolling out template changes; resume: start again
 */
import type { Command } from 'commander';
import type { Deployment } from '../../api/types';
import { addConnectionFlags, ConnectionOptions, kinds } from '../../client';
import { Session, withSession } from '../connect';
import { parseDurationFlag } from '../duration-flag';
import { CommandError, ExitCode } from '../exit';
import { parseTargets } from '../resolve';
import { untilSignal } from '../signals';
import { historyText, undo } from './rollout-history';
import { deploymentRolloutStatus, waitForRollout } from './rollout-status';

interface RolloutFlags extends ConnectionOptions {
  revision?: string;
  toRevision?: string;
  timeout?: string;
  watch?: boolean;
}

const restartedAt = 'kubectl.kubernetes.io/restartedAt';

/** The Deployments the arguments name (`deploy/web`, `deployment web api`). */
async function deploymentsNamed(session: Session, args: string[]): Promise<Deployment[]> {
  const targets = parseTargets(args, await session.types());
  const out: Deployment[] = [];
  for (const { type, names } of targets) {
    if (type.group !== 'apps' || type.kind !== 'Deployment') throw new CommandError(`berth rollout works on deployments, not ${type.plural}`, ExitCode.badInput);
    if (names.length === 0) throw new CommandError('name the deployment, e.g. deploy/web', ExitCode.badInput);
    for (const name of names) out.push(await session.client.resource(kinds.Deployment, session.namespace).get(name));
  }
  return out;
}

const revisionFlag = (text: string | undefined, flag: string): number | undefined => {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new CommandError(`${flag} wants a revision number, not "${text}"`, ExitCode.badInput);
  return Number(text);
};

type Action = (session: Session, deployment: Deployment, flags: RolloutFlags) => Promise<void>;

function subcommand(parent: Command, name: string, description: string, action: Action, configure: (c: Command) => Command = (c) => c): void {
  const command = configure(parent.command(name).description(description).argument('<deployment...>', 'deploy/NAME, or deploy NAME'));
  addConnectionFlags(command);
  command.action(async (args: string[], flags: RolloutFlags) => {
    await withSession(flags, async (session) => {
      for (const deployment of await deploymentsNamed(session, args)) await action(session, deployment, flags);
    });
  });
}

function said(d: Deployment, words: string): void {
  process.stdout.write(`deployment.apps/${d.metadata.name} ${words}\n`);
}

async function status(session: Session, deployment: Deployment, flags: RolloutFlags): Promise<void> {
  const revision = revisionFlag(flags.revision, '--revision');
  if (flags.watch === false) {
    const now = deploymentRolloutStatus(deployment, revision);
    if (now.failed) throw new CommandError(now.failed);
    process.stdout.write(`${now.message}\n`);
    return;
  }
  const stop = new AbortController();
  void untilSignal().then(() => stop.abort());
  const timeoutMs = flags.timeout ? parseDurationFlag(flags.timeout, '--timeout') : 0;
  await waitForRollout(session.client, session.namespace, deployment.metadata.name!, {
    revision,
    timeoutMs,
    signal: stop.signal,
    onStatus: (s) => {
      if (!s.failed) process.stdout.write(`${s.message}\n`);
    },
  });
}

async function history(session: Session, deployment: Deployment, flags: RolloutFlags): Promise<void> {
  const revision = revisionFlag(flags.revision, '--revision');
  const text = await historyText(session.client, deployment, revision);
  process.stdout.write(`deployment.apps/${deployment.metadata.name} ${revision ? `with revision #${revision}` : ''}\n${text}\n`);
}

async function restart(session: Session, deployment: Deployment): Promise<void> {
  if (deployment.spec?.paused) throw new CommandError(`can't restart paused deployment (run rollout resume first)`);
  const patch = { spec: { template: { metadata: { annotations: { [restartedAt]: new Date().toISOString().replace(/\.\d+Z$/, 'Z') } } } } };
  await session.client.resource(kinds.Deployment, session.namespace).patch(deployment.metadata.name!, 'strategic', patch);
  said(deployment, 'restarted');
}

async function setPaused(session: Session, deployment: Deployment, paused: boolean): Promise<void> {
  if (Boolean(deployment.spec?.paused) === paused) throw new CommandError(`deployments.apps "${deployment.metadata.name}" is ${paused ? 'already paused' : 'not paused'}`);
  await session.client.resource(kinds.Deployment, session.namespace).patch(deployment.metadata.name!, 'strategic', { spec: { paused: paused ? true : null } });
  said(deployment, paused ? 'paused' : 'resumed');
}

export function registerRollout(program: Command): void {
  const rollout = program.command('rollout').description('status, history, undo, restart, pause and resume the rollout of a deployment');
  subcommand(rollout, 'status', 'watch a rollout until it is done (exit 1 when it fails or times out)', status, (c) =>
    c
      .option('--revision <n>', 'wait for this revision in particular')
      .option('--timeout <duration>', 'give up after this long, e.g. 5m (default: wait as long as it takes)')
      .option('-w, --watch [bool]', 'watch until done (--watch=false: print the status once)', (v) => v !== 'false', true),
  );
  subcommand(rollout, 'history', 'the revisions of a deployment and their change-causes', history, (c) => c.option('--revision <n>', "show this revision's pod template"));
  subcommand(rollout, 'undo', 'roll back to the previous revision, or to --to-revision', async (session, deployment, flags) => said(deployment, await undo(session.client, deployment, revisionFlag(flags.toRevision, '--to-revision') ?? 0)), (c) =>
    c.option('--to-revision <n>', 'the revision to go back to (default: the one before the current)'),
  );
  subcommand(rollout, 'restart', 'replace every pod, one rollout step at a time', (session, deployment) => restart(session, deployment));
  subcommand(rollout, 'pause', 'stop rolling out template changes (scaling still works)', (session, deployment) => setPaused(session, deployment, true));
  subcommand(rollout, 'resume', 'roll out template changes again', (session, deployment) => setPaused(session, deployment, false));
}
