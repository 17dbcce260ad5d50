import { execFileSync } from 'node:child_process';

/**
 * Tests run against the real parts (etcd, Docker, kubectl). A missing part is an error, never a
 * silent skip: `scripts/test` installs them, and a developer who runs jest by hand is told how.
 */
export function requireCommand(command: string, installHint: string): string {
  try {
    return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`${command} is required by this test but is not installed (${installHint}); scripts/test installs it`);
  }
}
