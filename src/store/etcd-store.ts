/**
 * The store on etcd. A key's modRevision is its resourceVersion; every write is one transaction
 * that compares the key's revision and writes only if it still holds. Reads and writes go through
 * etcd's KV and Watch services over a lean gRPC client of our own (`etcd-kv.ts`).
 */
import { AlreadyExists, BadRequest, Conflict, Gone, InternalError, NotFound } from '../api/errors';
import type { Obj } from '../api/object';
import { errorMessage } from '../log';
import { decodeValue, encodeValue, UndecodableReporter, warnUndecodable, withResourceVersion } from './decode';
import { etcdError } from './etcd-errors';
import type { GrpcTls } from './etcd-grpc';
import { EtcdKv, KeyValue } from './etcd-kv';
import { watchEtcd } from './etcd-watch';
import { checkKey, prefixEnd } from './key-range';
import { listPaged, RangeBatch, RangeRequest } from './paged-list';
import type { Entry, ListOptions, ListResult, Store, WatchEvent, WatchOptions } from './store';

export interface EtcdStoreOptions {
  /** Client URLs, e.g. `http://127.0.0.1:2379` or `https://…`. */
  endpoints: string[];
  /** For https:// endpoints: the CA that signed etcd's certificate (default: the system's roots), a client certificate and its key. */
  tls?: GrpcTls;
  /** Put in front of every key; default `/berth`. */
  prefix?: string;
  /** Told about stored values that do not decode; default: a warning in the log. */
  onUndecodable?: UndecodableReporter;
  /** A watch that cannot reconnect for this long fails with Unavailable; default 30 s. */
  watchReconnectTimeoutMs?: number;
}

/**
 * The key where the last compaction's revision is kept, as the Kubernetes API server keeps it:
 * outside any prefix, because a compaction applies to the whole etcd.
 */
const compactRevisionKey = Buffer.from('compact_rev_key');

export class EtcdStore implements Store {
  readonly backend = 'etcd';
  private readonly kv: EtcdKv;
  private readonly prefix: string;
  private readonly prefixBytes: number;
  private readonly report: UndecodableReporter;
  private readonly watchReconnectTimeoutMs: number;
  private readonly watches = new Set<AbortController>();

  constructor(options: EtcdStoreOptions) {
    if (options.endpoints.length === 0) throw new BadRequest('an etcd store needs at least one endpoint');
    const prefix = options.prefix ?? '/berth';
    if (prefix !== '' && (!prefix.startsWith('/') || prefix.endsWith('/'))) {
      throw new BadRequest(`etcd key prefix ${JSON.stringify(prefix)} must start with "/" and not end with it (keys add their own)`);
    }
    this.prefix = prefix;
    this.prefixBytes = Buffer.byteLength(prefix);
    this.report = options.onUndecodable ?? warnUndecodable;
    this.watchReconnectTimeoutMs = options.watchReconnectTimeoutMs ?? 30_000;
    try {
      this.kv = new EtcdKv({ endpoints: options.endpoints, tls: options.tls });
    } catch (e) {
      // The channel refuses options it cannot use (TLS material without https://, a certificate without its key).
      throw new BadRequest(errorMessage(e));
    }
  }

  async get(key: string): Promise<Entry | undefined> {
    checkKey(key);
    const response = await this.call(`get ${key}`, () => this.kv.range({ key: this.fullKey(key) }));
    const kv = response.kvs[0];
    if (!kv) return undefined;
    const entry = this.entry(key, kv);
    if (!entry) throw new InternalError(`the stored value of ${key} does not decode; delete it or write it again`);
    return entry;
  }

  async list(prefix: string, options?: ListOptions): Promise<ListResult> {
    checkKey(prefix, 'prefix');
    return listPaged((request) => this.readRange(request), prefix, options);
  }

  async count(prefix: string): Promise<number> {
    checkKey(prefix, 'prefix');
    const response = await this.call(`count ${prefix}`, () =>
      this.kv.range({ key: this.fullKey(prefix), rangeEnd: this.rangeEnd(prefix), countOnly: true }),
    );
    return response.count;
  }

  async create(key: string, object: Obj): Promise<Entry> {
    checkKey(key);
    const fullKey = this.fullKey(key);
    const response = await this.call(`create ${key}`, () =>
      this.kv.txn({
        compare: [{ key: fullKey, target: 'create', equals: 0 }],
        success: [{ put: { key: fullKey, value: Buffer.from(encodeValue(object)) } }],
      }),
    );
    if (!response.succeeded) throw new AlreadyExists(`${key} already exists in the store`);
    const revision = response.revision;
    return { key, object: withResourceVersion(object, revision), modRevision: revision, createRevision: revision };
  }

  async update(key: string, object: Obj, expectedModRevision: number): Promise<Entry> {
    checkKey(key);
    checkRevision(expectedModRevision, `update ${key}`);
    const fullKey = this.fullKey(key);
    const response = await this.call(`update ${key}`, () =>
      this.kv.txn({
        compare: [{ key: fullKey, target: 'mod', equals: expectedModRevision }],
        // The range after the put reads the key's create revision in the same transaction.
        success: [{ put: { key: fullKey, value: Buffer.from(encodeValue(object)) } }, { range: { key: fullKey, keysOnly: true } }],
        failure: [{ range: { key: fullKey, keysOnly: true } }],
      }),
    );
    const revision = response.revision;
    if (!response.succeeded) throw this.casFailure('update', key, expectedModRevision, response.responses[0]?.range?.kvs[0]);
    const written = response.responses[1]?.range?.kvs[0];
    if (!written) throw new InternalError(`update ${key}: etcd did not return the key it wrote`);
    return { key, object: withResourceVersion(object, revision), modRevision: revision, createRevision: written.createRevision };
  }

  async delete(key: string, expectedModRevision?: number): Promise<Entry> {
    checkKey(key);
    const fullKey = this.fullKey(key);
    if (expectedModRevision === undefined) {
      const response = await this.call(`delete ${key}`, () => this.kv.deleteRange({ key: fullKey, prevKv: true }));
      const previous = response.prevKvs[0];
      if (!previous) throw new NotFound(`${key} is not in the store`);
      return this.deletedEntry(key, previous, response.revision);
    }
    checkRevision(expectedModRevision, `delete ${key}`);
    const response = await this.call(`delete ${key}`, () =>
      this.kv.txn({
        compare: [{ key: fullKey, target: 'mod', equals: expectedModRevision }],
        success: [{ deleteRange: { key: fullKey, prevKv: true } }],
        failure: [{ range: { key: fullKey, keysOnly: true } }],
      }),
    );
    if (!response.succeeded) throw this.casFailure('delete', key, expectedModRevision, response.responses[0]?.range?.kvs[0]);
    const previous = response.responses[0]?.deleteRange?.prevKvs[0];
    if (!previous) throw new NotFound(`${key} is not in the store`);
    return this.deletedEntry(key, previous, response.revision);
  }

  watch(prefix: string, options: WatchOptions): AsyncIterable<WatchEvent[]> {
    return this.ownedWatch(prefix, options);
  }

  async currentRevision(): Promise<number> {
    const response = await this.call('read the current revision', () => this.kv.range({ key: compactRevisionKey, countOnly: true }));
    return response.revision;
  }

  async compact(revision: number): Promise<void> {
    checkRevision(revision, 'compact');
    try {
      await this.kv.compact(revision);
    } catch (e) {
      const mapped = etcdError(e, `compact to revision ${revision}`);
      if (!(mapped instanceof Gone)) {
        if (mapped.code === 504) throw new BadRequest(`cannot compact to revision ${revision}: it is newer than the store's`);
        throw mapped;
      }
      // Already compacted at or past it: nothing to do, but the recorded revision may lag.
    }
    await this.recordCompaction(revision);
  }

  async compactedRevision(): Promise<number> {
    const response = await this.call('read the compacted revision', () => this.kv.range({ key: compactRevisionKey }));
    const kv = response.kvs[0];
    return kv ? Number(kv.value.toString()) : 0;
  }

  async close(): Promise<void> {
    for (const watch of this.watches) watch.abort();
    this.kv.close();
  }

  /** A watch that closing the store ends. */
  private async *ownedWatch(prefix: string, options: WatchOptions): AsyncGenerator<WatchEvent[]> {
    checkKey(prefix, 'prefix');
    const owner = new AbortController();
    const forward = (): void => owner.abort();
    options.signal.addEventListener('abort', forward, { once: true });
    owner.signal.addEventListener('abort', () => {
      options.signal.removeEventListener('abort', forward);
      this.watches.delete(owner);
    });
    if (options.signal.aborted) owner.abort();
    else this.watches.add(owner);
    try {
      yield* watchEtcd(
        {
          kv: this.kv,
          storePrefix: this.prefix,
          rangeEnd: (watched) => this.rangeEnd(watched),
          report: this.report,
          reconnectTimeoutMs: this.watchReconnectTimeoutMs,
          compactedRevision: () => this.compactedRevision(),
        },
        prefix,
        { fromRevision: options.fromRevision, signal: owner.signal },
      );
    } finally {
      owner.abort();
    }
  }

  private async readRange(request: RangeRequest): Promise<RangeBatch> {
    const { prefix, start, revision, limit } = request;
    const response = await this.call(`list ${prefix}${revision ? ` at revision ${revision}` : ''}`, () =>
      this.kv.range({ key: this.fullKey(start), rangeEnd: this.rangeEnd(prefix), revision, limit }),
    );
    const entries: Entry[] = [];
    for (const kv of response.kvs) {
      const entry = this.entry(kv.key.toString('utf8', this.prefixBytes), kv);
      if (entry) entries.push(entry);
    }
    const last = response.kvs.at(-1);
    return {
      entries,
      lastKey: last?.key.toString('utf8', this.prefixBytes),
      more: response.more,
      revision: revision || response.revision,
      count: () => response.count,
    };
  }

  /** Keeps the highest compacted revision in `compact_rev_key`, with a compare-and-swap. */
  private async recordCompaction(revision: number): Promise<void> {
    for (;;) {
      const response = await this.call('read the compacted revision', () => this.kv.range({ key: compactRevisionKey }));
      const kv = response.kvs[0];
      if (kv && Number(kv.value.toString()) >= revision) return;
      const written = await this.call('record the compacted revision', () =>
        this.kv.txn({
          compare: [{ key: compactRevisionKey, target: 'mod', equals: kv ? kv.modRevision : 0 }],
          success: [{ put: { key: compactRevisionKey, value: Buffer.from(String(revision)) } }],
        }),
      );
      if (written.succeeded) return;
    }
  }

  private entry(key: string, kv: KeyValue): Entry | undefined {
    const object = decodeValue(key, kv.value, kv.modRevision, this.report);
    return object && { key, object, modRevision: kv.modRevision, createRevision: kv.createRevision };
  }

  /** The last state of a deleted key; a value that does not decode leaves only its revision. */
  private deletedEntry(key: string, previous: KeyValue, revision: number): Entry {
    const object = decodeValue(key, previous.value, revision, this.report) ?? { metadata: { resourceVersion: String(revision) } };
    return { key, object, modRevision: revision, createRevision: previous.createRevision };
  }

  private casFailure(operation: string, key: string, expected: number, current: KeyValue | undefined): Error {
    if (!current) return new NotFound(`cannot ${operation} ${key}: it is not in the store`);
    return new Conflict(`cannot ${operation} ${key}: it changed since revision ${expected} (now at ${current.modRevision}); read it again and retry`);
  }

  private fullKey(key: string): Buffer {
    return Buffer.from(this.prefix + key);
  }

  private rangeEnd(prefix: string): Buffer {
    return Buffer.from(this.prefix + prefixEnd(prefix));
  }

  /** Runs one etcd call, its failure mapped to the catalogue (a plain catch: this is the hot path). */
  private call<T>(where: string, operation: () => Promise<T>): Promise<T> {
    return operation().catch((e: unknown) => {
      throw etcdError(e, where);
    });
  }
}

function checkRevision(revision: number, where: string): void {
  if (!Number.isSafeInteger(revision) || revision <= 0) throw new BadRequest(`${where}: revision ${revision} must be a positive integer`);
}
