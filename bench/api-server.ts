/**
 * `berth server` in a child process for the API benchmark, so that its memory is its own and
 * the benchmark's clients do not share its event loop. Runs the compiled CLI from dist/.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { freePort } from '../test/support/ports';

export interface ServerProcess {
  url: string;
  pid: number;
  /** Resident memory of the server process, in bytes (from /proc). */
  rss(): number;
  stop(): Promise<void>;
}

/** The store: etcd endpoints and a key prefix, or an SQLite file (`sqlite`). */
export interface ServerOptions {
  etcd?: string;
  prefix?: string;
  sqlite?: string;
  /** Extra node flags (`--cpu-prof`, ...). */
  nodeArgs?: string[];
}

export async function startServer(options: ServerOptions): Promise<ServerProcess> {
  const main = path.join(__dirname, '../src/cli/main.js');
  if (!fs.existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), main, 'server', '--listen', `127.0.0.1:${port}`, ...storeFlags(options)],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BERTH_LOG_LEVEL: 'warn' } },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`berth server did not start: ${output}`)), 30000);
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const listening = /listening on (\S+)/.exec(output);
      if (listening) {
        clearTimeout(timer);
        resolve(listening[1]);
      }
    });
    child.stderr!.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
    child.once('exit', (code) => reject(new Error(`berth server exited with ${code}: ${output}`)));
  });
  await ready(url);
  return {
    url,
    pid: child.pid!,
    rss: () => {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function storeFlags(options: ServerOptions): string[] {
  if (options.sqlite) return ['--store', `sqlite:${options.sqlite}`];
  if (!options.etcd) throw new Error('a benchmark server needs etcd endpoints or an SQLite file');
  return ['--etcd', options.etcd, '--etcd-prefix', options.prefix ?? '/berth'];
}

function ready(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    http
      .get(`${url}/readyz`, (res) => {
        res.resume();
        if (res.statusCode === 200) resolve();
        else reject(new Error(`${url}/readyz answered ${res.statusCode}`));
      })
      .on('error', reject);
  });
}
