/**
 * A real API server (SQLite) and a client pointed at it, for the client tests; plus a server that
 * can be stopped and started again on the same port and store (to cut clients off, or to make
 * their watch versions expire).
 */
import { ApiServer, ApiServerOptions } from '../../src/apiserver/server';
import type { Store } from '../../src/store/store';
import { Client } from '../../src/client/client';
import type { Connection } from '../../src/client/connection';
import type { ApiClientOptions } from '../../src/client/api-client';
import { openTestStore, startTestApiServer, TestApiServer } from '../support/api-server';

export function connectionTo(url: string): Connection {
  return { server: url, insecureSkipTlsVerify: false, namespace: 'default', source: 'test' };
}

export function clientFor(url: string, options: ApiClientOptions = {}): Client {
  return new Client(connectionTo(url), { retryBaseMs: 20, retryMaxMs: 200, ...options });
}

export async function startServer(options: Partial<ApiServerOptions> = {}): Promise<TestApiServer> {
  return startTestApiServer('sqlite', options);
}

/** A server that can go away and come back on the same port and store. */
export class RestartableServer {
  server?: ApiServer;
  url = '';
  private constructor(
    readonly store: Store,
    private readonly cleanup: () => void,
    private readonly options: Partial<ApiServerOptions>,
  ) {}

  static async start(options: Partial<ApiServerOptions> = {}): Promise<RestartableServer> {
    const { store, cleanup } = await openTestStore('sqlite');
    const s = new RestartableServer(store, cleanup, options);
    await s.up(0);
    return s;
  }

  async up(port = Number(new URL(this.url).port)): Promise<void> {
    this.server = await ApiServer.start({ store: this.store, compactionIntervalMs: 0, ...this.options });
    this.url = await this.server.listen(port, '127.0.0.1');
  }

  async down(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
  }

  async destroy(): Promise<void> {
    await this.down();
    await this.store.close();
    this.cleanup();
  }
}

/** Polls `probe` until it returns true, or fails with what it was waiting for. */
export async function eventually(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 10_000, everyMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function configMap(name: string, data: Record<string, string> = {}, labels: Record<string, string> = {}, namespace = 'default') {
  return { apiVersion: 'v1' as const, kind: 'ConfigMap' as const, metadata: { name, namespace, labels }, data };
}
