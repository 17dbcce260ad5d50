/**
 * `berth apply -f FILE|DIR|- [-R] [--wait] [--timeout 5m] [--dry-run=server] [--prune]
 * [--applyset NAME] [--force-conflicts] [-o json]`: server-side apply of manifests, then (at a
 * terminal, or with --wait) live progress until every object is ready. See src/cli/apply/README.md.
 *
 * Exit codes: 0 all applied (and ready) · 1 a rollout failed or timed out, an error · 2 something
 * cannot be scheduled · 4 a bad manifest or bad flags.
 */
import type { Command } from 'commander';
import { addConnectionFlags, ConnectionOptions } from '../../client';
import { addManifestFlags, interruptSignal, parseBooleanFlag, parseDryRun, parseOutput } from '../apply/flags';
import { runApply } from '../apply/run-apply';
import { withSession } from '../connect';
import { parseDurationFlag } from '../duration-flag';

interface ApplyFlags extends ConnectionOptions {
  filename?: string[];
  recursive?: boolean;
  wait?: string | boolean;
  timeout: string;
  dryRun?: string | boolean;
  prune?: boolean;
  applyset?: string;
  forceConflicts?: boolean;
  output?: string;
}

export function registerApply(program: Command): void {
  const command = program
    .command('apply')
    .description('apply manifests (server-side apply) and wait until they are ready')
    .option('--wait [bool]', 'show live progress and wait until every object is ready (default: true at a terminal)')
    .option('--timeout <duration>', 'how long --wait waits', '5m')
    .option('--dry-run [mode]', 'server: the server checks everything and stores nothing')
    .option('--prune', 'delete the members of the apply set whose manifests are gone (with --dry-run: only list them)')
    .option('--applyset <name>', 'the apply set to record the objects in (default with --prune: from the -f names)')
    .option('--force-conflicts', 'take over fields that other field managers own')
    .option('-o, --output <format>', 'json: one result document at the end')
    .addHelpText('after', '\nExit codes: 0 applied (and ready) · 1 a rollout failed or timed out, a Job or Pod failed, an error · 2 something cannot be scheduled · 4 a bad manifest or bad flags\n');
  addManifestFlags(command, 'apply');
  addConnectionFlags(command).action(async (flags: ApplyFlags) => {
    const settings = {
      files: flags.filename ?? [],
      recursive: Boolean(flags.recursive),
      wait: parseBooleanFlag(flags.wait, '--wait', Boolean(process.stdout.isTTY)),
      timeoutMs: parseDurationFlag(flags.timeout, '--timeout'),
      dryRun: parseDryRun(flags.dryRun),
      prune: Boolean(flags.prune),
      applySet: flags.applyset,
      force: Boolean(flags.forceConflicts),
      output: parseOutput(flags.output),
    };
    const signal = interruptSignal();
    process.exitCode = await withSession(flags, (session) =>
      runApply(session.client, { ...settings, namespace: { namespace: session.namespace, explicit: flags.namespace !== undefined } }, { stdout: process.stdout, stderr: process.stderr, signal }),
    );
  });
}
