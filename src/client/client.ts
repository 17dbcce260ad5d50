/**
 * The entry point: one `Client` per process and server, sharing one pool of connections.
 *
 *   const client = new Client(connectionFrom(flags));
 *   client.resource(kinds.Deployment).namespace('web')        built-in kinds, typed
 *   await client.discover<Widget>('example.com/v1', 'Widget') custom kinds, through discovery
 */
import { findKind, builtinKinds } from '../../crds';
import type { KindDeclaration } from '../../crds';
import { NotFound } from '../api/errors';
import type { Obj } from '../api/object';
import { ApiClient, ApiClientOptions } from './api-client';
import type { Connection } from './connection';
import { KindRef, kindRef, parseApiVersion } from './kinds';
import { ResourceClient } from './resource-client';

/** An entry of a legacy discovery document (`/api/v1`, `/apis/<group>/<version>`). */
interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

export class Client {
  readonly api: ApiClient;
  private readonly discovered = new Map<string, ApiResource[]>();

  constructor(connection: Connection, options: ApiClientOptions = {}) {
    this.api = new ApiClient(connection, options);
  }

  /** The namespace the connection defaults to. */
  get namespace(): string {
    return this.api.connection.namespace;
  }

  /** A typed client for a kind (a `KindRef` or a `KindDeclaration`); pass `namespace` to scope it (or call `.namespace()` later). */
  resource<T extends Obj>(kind: KindRef<T> | KindDeclaration, namespace?: string): ResourceClient<T> {
    const ref: KindRef<T> = 'scope' in kind ? kindRef<T>(kind) : kind;
    const client = new ResourceClient<T>(this.api, ref);
    return namespace === undefined ? client : client.namespace(namespace);
  }

  /**
   * The reference of any kind the server serves, by apiVersion and kind: built-in kinds at once,
   * others (CustomResourceDefinitions) through the server's discovery document for that version,
   * fetched again when the kind is not in the copy held (a CRD created since).
   */
  async discover<T extends Obj = Obj>(apiVersion: string, kind: string, options: { signal?: AbortSignal } = {}): Promise<KindRef<T>> {
    const { group, version } = parseApiVersion(apiVersion);
    const builtin = findKind(builtinKinds, group, version, kind);
    if (builtin) return kindRef<T>(builtin);
    const find = (resources: ApiResource[]) => resources.find((r) => r.kind === kind && !r.name.includes('/'));
    let found = this.discovered.has(apiVersion) ? find(this.discovered.get(apiVersion)!) : undefined;
    if (!found) {
      const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
      let doc: { resources?: ApiResource[] };
      try {
        doc = await this.api.request<{ resources?: ApiResource[] }>('GET', path, { signal: options.signal });
      } catch (e) {
        if (e instanceof NotFound) throw new NotFound(`the server does not serve ${apiVersion} (no discovery document at ${path})`);
        throw e;
      }
      this.discovered.set(apiVersion, doc.resources ?? []);
      found = find(doc.resources ?? []);
    }
    if (!found) throw new NotFound(`the server serves no kind "${kind}" in ${apiVersion}`);
    return kindRef<T>({ group, version, kind, plural: found.name, scope: found.namespaced ? 'Namespaced' : 'Cluster' });
  }

  /** Closes idle connections. Open watches end when their signals abort. */
  close(): void {
    this.api.close();
  }
}
