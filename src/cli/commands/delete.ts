/**
 * `berth delete -f FILE|DIR|- [-R]` or `berth delete KIND NAME... | KIND/NAME...`, with
 * `--cascade=background|foreground|orphan`, `--wait` (default true: until the objects are gone),
 * `--timeout`, `--ignore-not-found`, `--dry-run=server` and `-o json`.
 *
 * Exit codes: 0 deleted (and gone) · 1 not found, still there at the timeout, or an error · 4 bad input.
 */
import type { Command } from 'commander';
import { addConnectionFlags, ConnectionOptions } from '../../client';
import { CommandError, ExitCode } from '../exit';
import { addManifestFlags, interruptSignal, parseBooleanFlag, parseDryRun, parseOutput } from '../apply/flags';
import { Cascade, runDelete } from '../apply/run-delete';
import { withSession } from '../connect';
import { parseDurationFlag } from '../duration-flag';

interface DeleteFlags extends ConnectionOptions {
  filename?: string[];
  recursive?: boolean;
  cascade: string;
  wait?: string | boolean;
  timeout: string;
  ignoreNotFound?: boolean;
  dryRun?: string | boolean;
  output?: string;
}

const cascades: Record<string, Cascade> = { background: 'Background', foreground: 'Foreground', orphan: 'Orphan' };

export function registerDelete(program: Command): void {
  const command = program
    .command('delete')
    .argument('[objects...]', 'KIND NAME... or KIND/NAME... (when no -f is given)')
    .description('delete objects named by manifests or by kind and name, and wait until they are gone')
    .option('--cascade <policy>', 'background (dependents after), foreground (dependents first) or orphan (dependents stay)', 'background')
    .option('--wait [bool]', 'wait until the objects are gone', true)
    .option('--timeout <duration>', 'how long --wait waits', '5m')
    .option('--ignore-not-found', 'an object that does not exist is not an error')
    .option('--dry-run [mode]', 'server: the server checks the deletes and carries out none')
    .option('-o, --output <format>', 'json: one result document at the end')
    .addHelpText('after', '\nExit codes: 0 deleted (and gone) · 1 not found, still there at the timeout, or an error · 4 bad input\n');
  addManifestFlags(command, 'delete');
  addConnectionFlags(command).action(async (args: string[], flags: DeleteFlags) => {
    const cascade = cascades[flags.cascade.toLowerCase()];
    if (!cascade) throw new CommandError(`--cascade wants background, foreground or orphan, not "${flags.cascade}"`, ExitCode.badInput);
    const signal = interruptSignal();
    process.exitCode = await withSession(flags, (session) =>
      runDelete(
        session.client,
        {
          files: flags.filename ?? [],
          recursive: Boolean(flags.recursive),
          args,
          namespace: { namespace: session.namespace, explicit: flags.namespace !== undefined },
          cascade,
          wait: parseBooleanFlag(flags.wait, '--wait', true),
          timeoutMs: parseDurationFlag(flags.timeout, '--timeout'),
          ignoreNotFound: Boolean(flags.ignoreNotFound),
          dryRun: parseDryRun(flags.dryRun),
          output: parseOutput(flags.output),
        },
        { stdout: process.stdout, stderr: process.stderr, signal },
        session.types,
      ),
    );
  });
}
