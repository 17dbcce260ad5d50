/**
 * A real etcd for one test file: its own free loopback ports and a temporary data dir, stopped
 * and removed afterwards. `restart()` stops and starts it on the same ports and data.
 * `startEtcd({ tls: true })` serves clients on https:// only, asking each for a certificate
 * signed by a CA of its own; `tls` holds what a client needs.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import https from 'node:https';
import { createEtcdPki, EtcdClientTls } from './etcd-pki';
import { freePort, waitFor } from './ports';
import { requireCommand } from './parts';

export interface EtcdServer {
  endpoint: string;
  dataDir: string;
  /** With `tls: true`: the CA, client certificate and key a client needs. */
  tls?: EtcdClientTls;
  /** The running etcd's process id (undefined while stopped). */
  pid(): number | undefined;
  stop(): Promise<void>;
  start(): Promise<void>;
  restart(): Promise<void>;
  /** Stops it and removes its data. */
  destroy(): Promise<void>;
}

function healthy(endpoint: string, tls?: EtcdClientTls): Promise<true | undefined> {
  return new Promise((resolve) => {
    const get = tls ? (url: string, answer: (res: http.IncomingMessage) => void) => https.get(url, { ca: tls.ca, cert: tls.cert, key: tls.key }, answer) : http.get;
    const req = get(`${endpoint}/health`, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(res.statusCode === 200 && body.includes('true') ? true : undefined));
    });
    req.on('error', () => resolve(undefined));
    req.setTimeout(1000, () => req.destroy());
  });
}

export async function startEtcd(options: { tls?: boolean } = {}): Promise<EtcdServer> {
  const binary = requireCommand('etcd', "Debian's etcd-server");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-etcd-'));
  const pkiDir = options.tls ? fs.mkdtempSync(path.join(os.tmpdir(), 'berth-etcd-pki-')) : undefined;
  const pki = pkiDir ? createEtcdPki(pkiDir) : undefined;
  const clientPort = await freePort();
  const peerPort = await freePort();
  const endpoint = `${pki ? 'https' : 'http'}://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  let child: ChildProcess | undefined;
  let output = '';

  const start = async () => {
    output = '';
    child = spawn(
      binary,
      [
        '--name', 'test',
        '--data-dir', dataDir,
        '--listen-client-urls', endpoint,
        '--advertise-client-urls', endpoint,
        '--listen-peer-urls', peer,
        '--initial-advertise-peer-urls', peer,
        '--initial-cluster', `test=${peer}`,
        '--logger', 'zap',
        '--log-level', 'error',
        '--quota-backend-bytes', String(4 * 1024 * 1024 * 1024),
        ...(pki?.serverFlags ?? []),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ETCD_UNSUPPORTED_ARCH: process.env.ETCD_UNSUPPORTED_ARCH ?? '' } },
    );
    child.stdout?.on('data', (c) => (output = (output + c).slice(-4000)));
    child.stderr?.on('data', (c) => (output = (output + c).slice(-4000)));
    const exited = new Promise<never>((_, reject) => child!.once('exit', (code) => reject(new Error(`etcd exited with ${code}: ${output}`))));
    exited.catch(() => undefined);
    await Promise.race([waitFor('etcd to be healthy', () => healthy(endpoint, pki?.client), 20000), exited]);
  };

  const stop = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
      setTimeout(() => c.kill('SIGKILL'), 5000).unref();
    });
  };

  await start();
  return {
    endpoint,
    dataDir,
    tls: pki?.client,
    pid: () => child?.pid,
    start,
    stop,
    restart: async () => {
      await stop();
      await start();
    },
    destroy: async () => {
      await stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (pkiDir) fs.rmSync(pkiDir, { recursive: true, force: true });
    },
  };
}
