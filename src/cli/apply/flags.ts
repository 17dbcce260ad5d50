/** Flags that apply, diff and delete share, parsed once. */
import type { Command } from 'commander';
import { CommandError, ExitCode } from '../exit';
import { untilSignal } from '../signals';

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `-f FILE|DIR|-` (repeatable) and `-R`. */
export function addManifestFlags(command: Command, verb: string): Command {
  return command
    .option('-f, --filename <path>', `manifest file, directory or - (stdin) to ${verb}; repeatable`, collect)
    .option('-R, --recursive', 'read directories given with -f recursively');
}

/** `--wait`, `--wait=true`, `--wait=false`; absent: `fallback`. */
export function parseBooleanFlag(value: unknown, flag: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new CommandError(`${flag} wants true or false, not "${String(value)}"`, ExitCode.badInput);
}

/** `--dry-run` and `--dry-run=server` ask the server to check everything and store nothing. */
export function parseDryRun(value: unknown): boolean {
  if (value === undefined || value === 'none') return false;
  if (value === true || value === 'server') return true;
  if (value === 'client') throw new CommandError('--dry-run=client is not supported: use --dry-run=server, where the server checks everything and stores nothing', ExitCode.badInput);
  throw new CommandError(`--dry-run wants server or none, not "${String(value)}"`, ExitCode.badInput);
}

export function parseOutput(value: unknown): 'json' | undefined {
  if (value === undefined) return undefined;
  if (value === 'json') return 'json';
  throw new CommandError(`-o wants json, not "${String(value)}"`, ExitCode.badInput);
}

/** An AbortSignal that aborts on the first SIGINT or SIGTERM (a second one exits at once). */
export function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  void untilSignal().then(() => controller.abort());
  return controller.signal;
}
