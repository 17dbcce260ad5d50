/**
 * `berth server` from the sources in a child process, as `bin/berth server` runs it: for what only
 * a process of its own shows (its flags, its TLS files, whether it survives a request).
 */
import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

/** Starts it with `args`; resolves once it says where it listens. */
export async function startCli(args: string[]): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const root = path.resolve(__dirname, '../..');
  const child = spawn(process.execPath, ['-r', path.join(root, 'test/store/register-typescript.js'), path.join(root, 'src/cli/main.ts'), 'server', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, BERTH_LOG_LEVEL: 'warn' },
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`berth server did not start in 30 s: ${output}`)), 30000);
    child.stdout!.on('data', (c) => {
      output += c;
      const m = /listening on (\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr!.on('data', (c) => (output += c));
    child.once('exit', (code) => reject(new Error(`berth server exited with ${code}: ${output}`)));
  });
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
