/**
 * An API server for one test file, over either backend: SQLite in a temp dir, or a real etcd of
 * its own (one etcd per file, a fresh key prefix per server).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { ApiServer, ApiServerOptions } from '../../src/apiserver/server';
import { openStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';
import { EtcdServer, startEtcd } from './etcd';

export type Backend = 'sqlite' | 'etcd';
export const backends: Backend[] = ['sqlite', 'etcd'];

export interface TestApiServer {
  url: string;
  server: ApiServer;
  store: Store;
  stop(): Promise<void>;
}

let etcd: EtcdServer | undefined;

/** The etcd shared by this test file, started on first use. Call `stopSharedEtcd` in afterAll. */
export async function sharedEtcd(): Promise<EtcdServer> {
  etcd ??= await startEtcd();
  return etcd;
}

export async function stopSharedEtcd(): Promise<void> {
  await etcd?.destroy();
  etcd = undefined;
}

export async function openTestStore(backend: Backend): Promise<{ store: Store; cleanup: () => void }> {
  if (backend === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-api-'));
    const store = await openStore({ sqlite: path.join(dir, 'state.db') });
    return { store, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const server = await sharedEtcd();
  const store = await openStore({ etcd: [server.endpoint], prefix: `/test-${randomUUID()}` });
  return { store, cleanup: () => undefined };
}

export async function startTestApiServer(backend: Backend, options: Partial<ApiServerOptions> = {}): Promise<TestApiServer> {
  const { store, cleanup } = await openTestStore(backend);
  const server = await ApiServer.start({ store, compactionIntervalMs: 0, ...options });
  const url = await server.listen(0, '127.0.0.1');
  return {
    url,
    server,
    store,
    stop: async () => {
      await server.close();
      await store.close();
      cleanup();
    },
  };
}
