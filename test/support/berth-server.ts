/**
 * Node programs that say "listening on URL" run in a child process of their own: `berth server`
 * from the sources, as `bin/berth server` runs it, for what only a process of its own shows (its
 * flags, its TLS files, whether it survives a request); the benchmarks' servers too.
 */
import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

export interface ListeningProcess {
  url: string;
  child: ChildProcess;
  /** SIGTERM, then resolves once it has exited. */
  stop(): Promise<void>;
}

/** Runs `node ARGS`; resolves once it prints "listening on URL" on stdout (at most 30 s). */
export async function spawnListening(args: string[], what: string): Promise<ListeningProcess> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BERTH_LOG_LEVEL: 'warn' } });
  let output = '';
  let stdout = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start in 30 s: ${output}`)), 30000);
    child.stdout!.on('data', (chunk) => {
      output = (output + chunk).slice(-4000);
      stdout += chunk;
      // On stdout only: an inspector says "Debugger listening on ws://…" on stderr.
      const listening = /listening on (\S+)/.exec(stdout);
      if (listening) {
        clearTimeout(timer);
        resolve(listening[1]);
      }
    });
    child.stderr!.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}: ${output}`)));
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

/** `berth server ARGS` from the sources. */
export function startCli(args: string[]): Promise<ListeningProcess> {
  const root = path.resolve(__dirname, '../..');
  return spawnListening(['-r', path.join(root, 'test/store/register-typescript.js'), path.join(root, 'src/cli/main.ts'), 'server', ...args], 'berth server');
}
