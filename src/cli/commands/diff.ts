/**
 * `berth diff -f FILE|DIR|- [-R] [--prune] [--applyset NAME]`: what `berth apply` would change,
 * field by field, with server-set and defaulted fields left out. For drift checks in pipelines.
 *
 * Exit codes (as kubectl diff): 0 no differences · 1 differences · 2 an error · 4 a bad manifest.
 */
import type { Command } from 'commander';
import { addConnectionFlags, ConnectionOptions } from '../../client';
import { addManifestFlags, interruptSignal } from '../apply/flags';
import { diffError, runDiff } from '../apply/run-diff';
import { withSession } from '../connect';

interface DiffFlags extends ConnectionOptions {
  filename?: string[];
  recursive?: boolean;
  prune?: boolean;
  applyset?: string;
}

export function registerDiff(program: Command): void {
  const command = program
    .command('diff')
    .description('show, field by field, what applying manifests would change (exit 1 when something would)')
    .option('--prune', 'also list the members of the apply set that apply --prune would delete')
    .option('--applyset <name>', 'the apply set the manifests belong to (default with --prune: from the -f names)')
    .addHelpText('after', '\nExit codes (as kubectl diff): 0 no differences · 1 differences · 2 an error · 4 a bad manifest or bad flags\n');
  addManifestFlags(command, 'compare');
  addConnectionFlags(command).action(async (flags: DiffFlags) => {
    const signal = interruptSignal();
    try {
      process.exitCode = await withSession(flags, (session) =>
        runDiff(
          session.client,
          {
            files: flags.filename ?? [],
            recursive: Boolean(flags.recursive),
            namespace: { namespace: session.namespace, explicit: flags.namespace !== undefined },
            prune: Boolean(flags.prune),
            applySet: flags.applyset,
          },
          { stdout: process.stdout, stderr: process.stderr, signal },
        ),
      );
    } catch (e) {
      throw diffError(e);
    }
  });
}
