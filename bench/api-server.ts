/**
 * `berth server` in a child process for the API benchmark, so that its memory is its own and
 * the benchmark's clients do not share its event loop. Runs the compiled CLI from dist/.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { spawnListening } from '../test/support/berth-server';
import { freePort } from '../test/support/ports';
import { collectGarbage } from './support/inspector-gc';
import { cpuMsOf, memoryOf } from './support/proc';

export interface ServerProcess {
  url: string;
  pid: number;
  /** Resident memory of the server process, in bytes (from /proc). */
  rss(): number;
  /** CPU time the server process has used so far, user and system, in ms (from /proc; 100 ticks a second). */
  cpuMs(): number;
  /** A full garbage collection in the server, when it was started with `inspect`. */
  collectGarbage?(): Promise<void>;
  stop(): Promise<void>;
}

/** The store: etcd endpoints and a key prefix, or an SQLite file (`sqlite`). */
export interface ServerOptions {
  etcd?: string;
  prefix?: string;
  sqlite?: string;
  /** Extra node flags (`--cpu-prof`, ...). */
  nodeArgs?: string[];
  /** Open the server's inspector on a loopback port, for `collectGarbage`. */
  inspect?: boolean;
}

export async function startServer(options: ServerOptions): Promise<ServerProcess> {
  const main = path.join(__dirname, '../src/cli/main.js');
  if (!fs.existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
  const port = await freePort();
  const inspectorPort = options.inspect ? await freePort() : undefined;
  const inspect = inspectorPort ? [`--inspect=127.0.0.1:${inspectorPort}`] : [];
  const server = await spawnServer([...(options.nodeArgs ?? []), ...inspect, main, 'server', '--listen', `127.0.0.1:${port}`, ...storeFlags(options)], 'berth server');
  await ready(server.url);
  return inspectorPort ? { ...server, collectGarbage: () => collectGarbage(inspectorPort) } : server;
}

/** The fan-out baseline (support/raw-fan-out-server.ts) in a child process. */
export function startRawFanOutServer(): Promise<ServerProcess> {
  return spawnServer([path.join(__dirname, 'support/raw-fan-out-server.js')], 'the raw fan-out server');
}

/** The creates' bare relay (support/relay-server.ts) in a child process, writing to `etcd`. */
export function startRelayServer(etcd: string): Promise<ServerProcess> {
  return spawnServer([path.join(__dirname, 'support/relay-server.js'), etcd], 'the relay server');
}

/** Runs a node program that prints "listening on URL"; resolves once it does. */
async function spawnServer(args: string[], what: string): Promise<ServerProcess> {
  const { url, child, stop } = await spawnListening(args, what);
  return { url, pid: child.pid!, rss: () => memoryOf(child.pid!).rss, cpuMs: () => cpuMsOf(child.pid!), stop };
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
