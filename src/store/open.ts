/**
 * Opening a store from configuration: `{ sqlite: path }` for one box, `{ etcd: endpoints, prefix,
 * tls }` for a cluster; and the command-line forms `sqlite:PATH` and `http://host:port[,http://…]`.
 */
import { BadRequest } from '../api/errors';
import type { GrpcTls } from './etcd-grpc';
import { EtcdStore } from './etcd-store';
import { SqliteStore } from './sqlite-store';
import type { Store } from './store';

export type StoreSpec = { sqlite: string } | { etcd: string[]; prefix?: string; tls?: GrpcTls };

/** `onFatal`: told when the store stops for good (the embedded store's fsync failed). */
export async function openStore(spec: StoreSpec, onFatal?: (error: Error) => void): Promise<Store> {
  if ('sqlite' in spec) return new SqliteStore({ path: spec.sqlite, onFatal });
  return new EtcdStore({ endpoints: spec.etcd, prefix: spec.prefix, tls: spec.tls });
}

/** Reads `sqlite:PATH` or a comma-separated list of etcd client URLs. */
export function parseStoreSpec(text: string, prefix?: string): StoreSpec {
  const trimmed = text.trim();
  if (trimmed.startsWith('sqlite:')) {
    const path = trimmed.slice('sqlite:'.length);
    if (path === '') throw new BadRequest('store "sqlite:" needs a file path, e.g. sqlite:/var/lib/berth/state.db');
    return { sqlite: path };
  }
  const endpoints = trimmed.split(',').map((endpoint) => endpoint.trim()).filter((endpoint) => endpoint !== '');
  if (endpoints.length === 0) throw new BadRequest('no store given: use sqlite:PATH or http://host:port[,http://host:port…]');
  for (const endpoint of endpoints) {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new BadRequest(`store endpoint ${JSON.stringify(endpoint)} is not a URL: use sqlite:PATH or http://host:port`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new BadRequest(`store endpoint ${JSON.stringify(endpoint)} must be http:// or https:// (or use sqlite:PATH)`);
    }
    if (!url.port || (url.pathname !== '/' && url.pathname !== '')) {
      throw new BadRequest(`store endpoint ${JSON.stringify(endpoint)} must be host:port, e.g. http://127.0.0.1:2379`);
    }
  }
  return prefix === undefined ? { etcd: endpoints } : { etcd: endpoints, prefix };
}
