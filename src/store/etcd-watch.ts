/**
 * A watch on etcd: one gRPC stream per watch (`EtcdKv.watch`), resumed after any break one past
 * the last event received, until the consumer stops or the watch cannot go on.
 *
 *   open(start = received + 1) ──► created ──► events … ──► (stream ends) ──► wait, open again
 *        ▲                                                                     │
 *        └──────── 100 ms, doubling to 2 s ◄──────────────────────────────────┘
 *   canceled with compact_revision ──► Gone (the consumer lists again)
 *   canceled for another reason    ──► InternalError with etcd's reason
 *   no stream created for reconnectTimeoutMs ──► Unavailable
 *
 * Resuming from the last *event* (not the last response's header revision) matters: a watch that
 * is catching up gets at most 1000 revisions per response, each with the header at the current
 * revision. Events at or below the last one received are dropped should one come twice.
 */
import { Gone, InternalError, Unavailable } from '../api/errors';
import { errorMessage, logger } from '../log';
import { BatchChannel } from './batch-channel';
import { decodeValue, UndecodableReporter, withResourceVersion } from './decode';
import { etcdError } from './etcd-errors';
import type { GrpcError } from './etcd-grpc';
import type { EtcdKv, WatchEventMessage, WatchResponse } from './etcd-kv';
import type { WatchEvent, WatchOptions } from './store';

const log = logger('store', { backend: 'etcd' });

const firstRetryMs = 100;
const longestRetryMs = 2000;

export interface EtcdWatchContext {
  kv: EtcdKv;
  /** The store's own prefix, in front of every relative key. */
  storePrefix: string;
  /** Where the watched range ends (the store's prefix included). */
  rangeEnd(prefix: string): Buffer;
  report: UndecodableReporter;
  reconnectTimeoutMs: number;
  compactedRevision(): Promise<number>;
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

  const key = Buffer.from(context.storePrefix + prefix);
  const rangeEnd = context.rangeEnd(prefix);
  const prefixBytes = Buffer.byteLength(context.storePrefix);
  const channel = new BatchChannel<WatchEvent>();
  let received = fromRevision;
  let stream: { cancel(): void } | undefined;
  let retryMs = firstRetryMs;
  let retry: NodeJS.Timeout | undefined;
  /** Set while no stream is established: when it fires, the watch gives up. */
  let giveUp: NodeJS.Timeout | undefined;
  let finished = false;

  const finish = (error?: Error): void => {
    if (finished) return;
    finished = true;
    signal.removeEventListener('abort', onAbort);
    clearTimeout(retry);
    clearTimeout(giveUp);
    stream?.cancel();
    stream = undefined;
    if (error) channel.fail(error);
    else channel.close();
  };
  const onResponse = (response: WatchResponse): void => {
    if (response.canceled) {
      stream = undefined;
      return finish(
        response.compactRevision > 0
          ? new Gone(`${where}: etcd compacted past revision ${received} (to ${response.compactRevision}) before the watch caught up; list again`)
          : new InternalError(`${where}: etcd canceled the watch: ${response.cancelReason || 'no reason given'}`),
      );
    }
    if (response.created) {
      clearTimeout(giveUp);
      giveUp = undefined;
      retryMs = firstRetryMs;
    }
    if (response.events.length === 0) return;
    const events: WatchEvent[] = [];
    for (const event of response.events) {
      const revision = event.kv.modRevision;
      if (revision <= received) continue;
      const watchEvent = toWatchEvent(event, event.kv.key.toString('utf8', prefixBytes), context.report);
      if (watchEvent) events.push(watchEvent);
    }
    received = Math.max(received, response.events[response.events.length - 1].kv.modRevision);
    channel.push(events);
  };
  const onEnded = (error: GrpcError): void => {
    stream = undefined;
    if (finished) return;
    log.debug('watch stream ended, resuming', { prefix, received, retryMs, error: errorMessage(error) });
    giveUp ??= setTimeout(
      () => finish(new Unavailable(`${where}: etcd stayed unreachable for ${context.reconnectTimeoutMs} ms (${errorMessage(error)})`)),
      context.reconnectTimeoutMs,
    );
    retry = setTimeout(open, retryMs);
    retryMs = Math.min(retryMs * 2, longestRetryMs);
  };
  const open = (): void => {
    retry = undefined;
    if (finished) return;
    stream = context.kv.watch({ key, rangeEnd, startRevision: received + 1, prevKv: true }, { response: onResponse, ended: onEnded });
  };
  // On abort as well as when the iterator ends: a consumer may stop pulling without ever calling
  // return(), and the abort must still end the stream.
  const onAbort = (): void => finish();

  signal.addEventListener('abort', onAbort, { once: true });
  open();
  try {
    yield* channel.batches();
  } finally {
    finish();
  }
}

function toWatchEvent(event: WatchEventMessage, key: string, report: UndecodableReporter): WatchEvent | undefined {
  const { kv, prevKv } = event;
  const revision = kv.modRevision;
  if (event.type === 'DELETE') {
    // The last value comes from prev_kv; without it (compacted meanwhile) there is nothing to show.
    if (!prevKv) {
      report(key, `deleted at revision ${revision}, and its last value was compacted away`);
      return undefined;
    }
    const object = decodeValue(key, prevKv.value, revision, report);
    if (!object) return undefined;
    return { type: 'DELETED', key, revision, object, prevObject: withResourceVersion(object, prevKv.modRevision) };
  }
  const object = decodeValue(key, kv.value, revision, report);
  if (!object) return undefined;
  if (kv.createRevision === kv.modRevision) return { type: 'ADDED', key, revision, object };
  const prevObject = prevKv ? decodeValue(key, prevKv.value, prevKv.modRevision, report) : undefined;
  return { type: 'MODIFIED', key, revision, object, prevObject };
}
