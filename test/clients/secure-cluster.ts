/**
 * An API server as `berth up` serves it: https with a CA of its own, a bearer token, and the
 * kubeconfig `berth up` writes (server URL, CA inline, token). It can be stopped and started
 * again over the same store (the same SQLite file, or the same etcd and key prefix) and port,
 * while clients keep their kubeconfig.
 *
 *   cluster = await startSecureCluster('sqlite')
 *   cluster.kubeconfig, cluster.url, cluster.request('GET', '/api/v1/...')
 *   await cluster.stop(); await cluster.offline(async (url) => …); await cluster.start()
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { TokenAuthenticator } from '../../src/apiserver/auth';
import { ApiServer } from '../../src/apiserver/server';
import { ensureAutoTls, readTls } from '../../src/apiserver/tls';
import { writeKubeconfig } from '../../src/cli/up/cluster-files';
import { openStore, StoreSpec } from '../../src/store/open';
import type { Store } from '../../src/store/store';
import { Backend, sharedEtcd } from '../support/api-server';
import { Reply, request } from '../support/http';

export interface SecureCluster {
  /** https://127.0.0.1:PORT, the same across restarts. */
  readonly url: string;
  readonly kubeconfig: string;
  readonly ca: string;
  readonly token: string;
  /** A request with the CA and the token, to a path on the server. */
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  /** Stops the server and closes its store; clients see their connections end. */
  stop(): Promise<void>;
  /** Starts a server over the same store on the same port. */
  start(): Promise<void>;
  /**
   * While the server is stopped: runs `work` against a server over the same store on another
   * port, which the kubeconfig does not name, then stops that server. Changes made so happen
   * while the clients are cut off.
   */
  offline(work: (request: SecureCluster['request']) => Promise<void>): Promise<void>;
  /** Stops everything and removes the files. */
  destroy(): Promise<void>;
}

/** How often watchers that asked for bookmarks get one; short, so the tests see them soon. */
const bookmarkIntervalMs = 500;

export interface SecureClusterOptions {
  /** Events the server keeps per resource for resuming watchers (the server's default otherwise). */
  watchCacheCapacity?: number;
}

export async function startSecureCluster(backend: Backend, options: SecureClusterOptions = {}): Promise<SecureCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-clients-'));
  const tls = readTls(ensureAutoTls(path.join(dir, 'pki')));
  const token = randomBytes(24).toString('hex');
  const authenticator = TokenAuthenticator.fromEntries([[token, { name: 'admin', uid: 'admin', groups: ['system:masters', 'system:authenticated'] }]]);
  const spec: StoreSpec = backend === 'sqlite' ? { sqlite: path.join(dir, 'state.db') } : { etcd: [(await sharedEtcd()).endpoint], prefix: `/clients-${randomUUID()}` };

  const open = async (port: number): Promise<{ server: ApiServer; store: Store; url: string }> => {
    const store = await openStore(spec);
    const server = await ApiServer.start({ store, tls, authenticator, compactionIntervalMs: 0, bookmarkIntervalMs, watchCacheCapacity: options.watchCacheCapacity });
    const url = await server.listen(port, '127.0.0.1');
    return { server, store, url };
  };
  const close = async (parts: { server: ApiServer; store: Store }) => {
    await parts.server.close();
    await parts.store.close();
  };
  const to = (base: string): SecureCluster['request'] => (method, target, body, headers) => request(method, `${base}${target}`, body, { ca: tls.ca, token, headers });

  const first = await open(0);
  let running: { server: ApiServer; store: Store } | undefined = first;
  const url = first.url;
  const port = Number(new URL(url).port);
  const kubeconfig = path.join(dir, 'kubeconfig');
  writeKubeconfig(kubeconfig, url, tls.ca, token);

  const stop = async () => {
    const parts = running;
    running = undefined;
    if (parts) await close(parts);
  };
  return {
    url,
    kubeconfig,
    ca: tls.ca,
    token,
    request: to(url),
    stop,
    start: async () => {
      if (running) throw new Error('the server is already running');
      running = await open(port);
    },
    offline: async (work) => {
      if (running) throw new Error('stop the server first');
      const side = await open(0);
      try {
        await work(to(side.url));
      } finally {
        await close(side);
      }
    },
    destroy: async () => {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

