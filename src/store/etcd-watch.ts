/**
 * A watch on etcd through etcd3's Watcher, with the gaps of that Watcher closed.
 *
 * How etcd3 1.1.2's Watcher behaves (node_modules/etcd3/lib/watch.js), and what is done about it:
 * - All watchers of a client share one gRPC stream. When it fails, every watcher gets
 *   'disconnected' (twice: the error, then the stream's end) and the WatchManager re-creates the
 *   stream after a backoff, forever, re-sending each watcher's `request`, announced by
 *   'connecting' (with that request) and answered by 'connected'.
 * - On 'connected' and on every 'data' the Watcher sets `request.start_revision` to the response
 *   header's revision + 1. For a watcher that is catching up, etcd sends at most 1000 revisions per
 *   response with the header at the *current* revision, so a reconnect there would skip events.
 *   Here the 'connecting' handler rewrites `start_revision` to one past the last event received,
 *   just before the request is written; events at or below it are dropped should one come twice.
 * - Compaction: etcd answers the (re)created watch with `created`, then cancels it with
 *   `compact_revision` set and no reason. etcd3 turns the cancel into an 'error' event
 *   ("Watcher canceled: ") and drops `compact_revision`, so on any cancel the revision is probed
 *   with a range read: "compacted" becomes Gone, anything else the mapped error.
 * - A watcher canceled by etcd is already detached; cancelling it again would wait for an answer
 *   that never comes, so it is not.
 * - Reconnection never gives up by itself: a watch that stays disconnected past a deadline fails
 *   with Unavailable and its consumer starts over.
 */
import { Etcd3, IWatchCreateRequest, IWatchResponse, Watcher } from 'etcd3';
import { Gone, InternalError, Timeout, Unavailable } from '../api/errors';
import { errorMessage, logger } from '../log';
import { BatchChannel } from './batch-channel';
import { decodeValue, UndecodableReporter, withResourceVersion } from './decode';
import { etcdError } from './etcd-errors';
import type { WatchEvent, WatchOptions } from './store';

const log = logger('store', { backend: 'etcd' });

export interface EtcdWatchContext {
  client: Etcd3;
  /** The store's own prefix, in front of every relative key. */
  storePrefix: string;
  report: UndecodableReporter;
  reconnectTimeoutMs: number;
  compactedRevision(): Promise<number>;
  /** Called with the cancellation of the underlying watcher, so that closing can wait for it. */
  track(cancellation: Promise<void>): void;
}

export async function* watchEtcd(context: EtcdWatchContext, prefix: string, options: WatchOptions): AsyncGenerator<WatchEvent[]> {
  const { fromRevision, signal } = options;
  const where = `watch ${prefix} from revision ${fromRevision}`;
  if (signal.aborted) return;
  const compacted = await context.compactedRevision().catch((e) => {
    throw etcdError(e, where);
  });
  if (fromRevision < compacted) {
    throw new Gone(`${where}: history up to revision ${compacted} has been compacted; list again`);
  }

  const fullPrefix = context.storePrefix + prefix;
  const prefixBytes = Buffer.byteLength(context.storePrefix);
  const channel = new BatchChannel<WatchEvent>();
  let received = fromRevision;
  let canceledByEtcd = false;
  let reconnectDeadline: NodeJS.Timeout | undefined;

  const watcher: Watcher = context.client.watch().prefix(fullPrefix).withPreviousKV().startRevision(String(fromRevision + 1)).watcher();
  const resumeWhereReceived = (request: unknown): void => {
    (request as IWatchCreateRequest).start_revision = received + 1;
  };
  const onData = (response: IWatchResponse): void => {
    const events: WatchEvent[] = [];
    for (const event of response.events) {
      const revision = Number(event.kv.mod_revision);
      if (revision <= received) continue;
      const key = event.kv.key.toString('utf8', prefixBytes);
      const watchEvent = toWatchEvent(event.type, key, revision, event.kv, event.prev_kv, context.report);
      if (watchEvent) events.push(watchEvent);
    }
    const last = response.events.at(-1);
    if (last) received = Math.max(received, Number(last.kv.mod_revision));
    channel.push(events);
  };
  const onDisconnected = (error: Error): void => {
    if (reconnectDeadline) return;
    log.debug('watch disconnected, reconnecting', { prefix, received, error: errorMessage(error) });
    reconnectDeadline = setTimeout(() => {
      channel.fail(new Unavailable(`${where}: etcd stayed unreachable for ${context.reconnectTimeoutMs} ms (${errorMessage(error)})`));
    }, context.reconnectTimeoutMs);
  };
  const onConnected = (): void => {
    clearTimeout(reconnectDeadline);
    reconnectDeadline = undefined;
  };
  const onCanceled = (error: Error): void => {
    canceledByEtcd = true;
    void whyCanceled(context, fullPrefix, received, error, where).then((reason) => channel.fail(reason));
  };
  // Released on abort as well as when the iterator ends: a consumer may stop pulling without
  // ever calling return(), and the abort must still free the watcher.
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    signal.removeEventListener('abort', onAbort);
    clearTimeout(reconnectDeadline);
    watcher.off('data', onData);
    watcher.off('disconnected', onDisconnected);
    if (!canceledByEtcd) context.track(watcher.cancel().catch(() => undefined));
  };
  const onAbort = (): void => {
    channel.close();
    release();
  };

  watcher.on('connecting', resumeWhereReceived);
  watcher.on('data', onData);
  watcher.on('disconnected', onDisconnected);
  watcher.on('connected', onConnected);
  // etcd3 throws an 'error' event nobody listens to; this listener stays for the watcher's life.
  watcher.on('error', onCanceled);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    yield* channel.batches();
  } finally {
    release();
  }
}

function toWatchEvent(
  type: 'Put' | 'Delete',
  key: string,
  revision: number,
  kv: IWatchResponse['events'][number]['kv'],
  previous: IWatchResponse['events'][number]['prev_kv'] | undefined,
  report: UndecodableReporter,
): WatchEvent | undefined {
  if (type === 'Delete') {
    // The last value comes from prev_kv; without it (compacted meanwhile) there is nothing to show.
    if (!previous) {
      report(key, `deleted at revision ${revision}, and its last value was compacted away`);
      return undefined;
    }
    const object = decodeValue(key, previous.value, revision, report);
    if (!object) return undefined;
    return { type: 'DELETED', key, revision, object, prevObject: withResourceVersion(object, Number(previous.mod_revision)) };
  }
  const object = decodeValue(key, kv.value, revision, report);
  if (!object) return undefined;
  if (kv.create_revision === kv.mod_revision) return { type: 'ADDED', key, revision, object };
  const prevObject = previous ? decodeValue(key, previous.value, Number(previous.mod_revision), report) : undefined;
  return { type: 'MODIFIED', key, revision, object, prevObject };
}

/** etcd canceled the watch without saying why: find out whether it was compaction. */
async function whyCanceled(context: EtcdWatchContext, fullPrefix: string, received: number, error: Error, where: string): Promise<Error> {
  try {
    await context.client.kv.range({ key: Buffer.from(fullPrefix), revision: received + 1, limit: 1, keys_only: true });
  } catch (probeError) {
    const mapped = etcdError(probeError, where);
    if (mapped instanceof Gone) {
      return new Gone(`${where}: etcd compacted past revision ${received} before the watch caught up; list again`);
    }
    // A future revision means nothing was compacted: the cancel had another cause.
    if (!(mapped instanceof Timeout)) return mapped;
  }
  return new InternalError(`${where}: etcd canceled the watch: ${error.message}`);
}
