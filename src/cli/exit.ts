/**
 * Exit codes, documented in the README:
 *   0 success · 1 failure (a rollout failed or timed out, differences found by diff, an error)
 *   2 something cannot be scheduled · 3 the command is not built yet · 4 bad usage or bad input
 */
import { errorMessage } from '../log';

export const ExitCode = { ok: 0, failed: 1, unschedulable: 2, notBuilt: 3, badInput: 4 } as const;

/** An error a command raises to end with a message and an exit code, without a stack trace. */
export class CommandError extends Error {
  constructor(message: string, readonly exitCode: number = ExitCode.failed) {
    super(message);
  }
}

export function fail(e: unknown): never {
  const code = e instanceof CommandError ? e.exitCode : ExitCode.failed;
  process.stderr.write(`error: ${errorMessage(e)}\n`);
  process.exit(code);
}
