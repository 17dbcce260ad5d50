/**
 * Records core/v1 Events about objects, for `kubectl describe` and `berth events`, as client-go's
 * recorder, EventCorrelator and broadcaster do:
 *
 *   event(obj, type, reason, message)
 *     ├─ rate limit per (component, object): a token bucket, burst 25, one more every 5 minutes;
 *     │  past it the event is dropped, so a hot loop cannot flood the API
 *     ├─ queue of at most 1000 events, written one at a time; with it full the event is dropped
 *     │  (both drops counted in berth_events_dropped_total)
 *     ├─ first time this (object, type, reason, message): create an Event, count 1
 *     └─ again: patch that Event's count and lastTimestamp instead of creating another
 *
 * Events are best effort, as upstream's are: client-go's broadcaster queues 1000 and drops past
 * that (DropIfChannelFull), and writes them from one goroutine. So a burst of work (ten thousand
 * pods placed at once) is not slowed by as many Event writes competing with it; the events trail
 * behind, and those past the queue are lost. Recording never throws and never blocks a reconcile;
 * `flush()` waits for the queue to empty (tests, shutdown).
 */
import os from 'node:os';
import { isAlreadyExists, isNotFound } from '../api/errors';
import type { Obj } from '../api/object';
import type { Event } from '../api/types';
import { errorMessage, logger } from '../log';
import type { Client } from './client';
import { kinds } from './kinds';
import { eventMetrics } from './metrics';
import { TokenBucketRateLimiter } from './rate-limiter';

const log = logger('events');

export type EventType = 'Normal' | 'Warning';

export interface EventRecorderOptions {
  /** Who reports, in upstream's names so tools that route on them work: `replicaset-controller`, `kubelet`. Goes to source.component and reportingComponent. */
  component: string;
  /** The host or instance reporting (default: this host's name). */
  host?: string;
  /** Events one object may get in a burst (default 25), and how often one more is allowed (default every 5 minutes). */
  burst?: number;
  refillEveryMs?: number;
  /** How many distinct events and objects are remembered (default 4096 each). */
  cacheSize?: number;
  /** Events waiting to be written; past it new ones are dropped (default 1000, as client-go). */
  queueSize?: number;
  now?: () => number;
}

interface Queued {
  key: string;
  at: number;
  name: string;
  obj: Obj;
  type: EventType;
  reason: string;
  message: string;
}

interface Recorded {
  namespace: string;
  name: string;
  count: number;
}

export class EventRecorder {
  private readonly recorded = new Map<string, Recorded>();
  private readonly buckets = new Map<string, TokenBucketRateLimiter>();
  private queue: Queued[] = [];
  private writing = false;
  private readonly idle: Array<() => void> = [];
  private readonly host: string;
  private readonly now: () => number;
  /** The millisecond of the last event, and how many came before it in that millisecond. */
  private last = { at: 0, ordinal: 0 };

  constructor(
    private readonly client: Client,
    private readonly options: EventRecorderOptions,
  ) {
    this.host = options.host ?? os.hostname();
    this.now = options.now ?? Date.now;
  }

  /** Records that `reason` happened to `obj` (which needs apiVersion, kind, name; namespace when namespaced). */
  event(obj: Obj, type: EventType, reason: string, message: string): void {
    const meta = obj.metadata;
    const involved = `${obj.apiVersion}|${obj.kind}|${meta.namespace ?? ''}|${meta.name}|${meta.uid ?? ''}`;
    if (!this.allowed(involved)) {
      eventMetrics.dropped.inc({ component: this.options.component, reason: 'rate_limit' });
      log.debug('event dropped by the rate limit', { kind: obj.kind, name: meta.name, reason });
      return;
    }
    if (this.queue.length >= (this.options.queueSize ?? 1000)) {
      eventMetrics.dropped.inc({ component: this.options.component, reason: 'queue_full' });
      log.debug('event dropped: the write queue is full', { kind: obj.kind, name: meta.name, reason });
      return;
    }
    // When it happened, not when the write gets its turn.
    const at = this.now();
    const name = `${meta.name}.${this.nameSuffix(at).toString(16)}`;
    this.queue.push({ key: `${involved}|${type}|${reason}|${message}`, at, name, obj, type, reason, message });
    if (!this.writing) void this.writeQueued();
  }

  /** Resolves when every event recorded so far has been written (or has failed and been logged). */
  async flush(): Promise<void> {
    while (this.writing) await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  /** Writes the queue one event at a time, in the order recorded, until it is empty. */
  private async writeQueued(): Promise<void> {
    this.writing = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) await this.write(next);
    } finally {
      this.writing = false;
      for (const resolve of this.idle.splice(0)) resolve();
    }
  }

  /**
   * Upstream names an event `<object>.<nanoseconds, hex>`, so a list (sorted by name) is in the
   * order things happened, which is how kubectl describe shows events of the same second. Here:
   * the millisecond, then the order of recording within it, then a random tail so that two
   * recorders (the placement controller and an agent) never pick the same name.
   */
  private nameSuffix(at: number): bigint {
    this.last = at === this.last.at ? { at, ordinal: this.last.ordinal + 1 } : { at, ordinal: 0 };
    return BigInt(at) * 1_000_000n + BigInt(Math.min(this.last.ordinal, 999)) * 1000n + BigInt(Math.floor(Math.random() * 1000));
  }

  private allowed(involved: string): boolean {
    let bucket = this.buckets.get(involved);
    if (!bucket) {
      const refill = this.options.refillEveryMs ?? 300_000;
      bucket = new TokenBucketRateLimiter(1000 / refill, this.options.burst ?? 25, this.now);
      this.remember(this.buckets, involved, bucket);
    }
    return bucket.tryAcquire();
  }

  private async write({ key, at, name, obj, type, reason, message }: Queued): Promise<void> {
    const timestamp = new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const seen = this.recorded.get(key);
    try {
      if (seen) {
        const events = this.client.resource(kinds.Event, seen.namespace);
        try {
          await events.patch(seen.name, 'merge', { count: seen.count + 1, lastTimestamp: timestamp });
          seen.count++;
          return;
        } catch (e) {
          // Someone deleted it (or it expired): start a new one below.
          if (!isNotFound(e)) throw e;
          this.recorded.delete(key);
        }
      }
      const namespace = obj.metadata.namespace || 'default';
      const event: Event = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject: {
          apiVersion: obj.apiVersion,
          kind: obj.kind,
          name: obj.metadata.name,
          namespace: obj.metadata.namespace,
          uid: obj.metadata.uid,
          resourceVersion: obj.metadata.resourceVersion,
        },
        reason,
        message,
        type,
        source: { component: this.options.component, host: this.host },
        reportingComponent: this.options.component,
        reportingInstance: this.host,
        firstTimestamp: timestamp,
        lastTimestamp: timestamp,
        count: 1,
      };
      await this.client.resource(kinds.Event, namespace).create(event);
      this.remember(this.recorded, key, { namespace, name, count: 1 });
    } catch (e) {
      if (isAlreadyExists(e)) return;
      log.warn('could not write an event', { kind: obj.kind, name: obj.metadata.name, reason, error: errorMessage(e) });
    }
  }

  /** A map that forgets its oldest entry past the cache size (insertion order). */
  private remember<V>(map: Map<string, V>, key: string, value: V): void {
    map.delete(key);
    map.set(key, value);
    if (map.size > (this.options.cacheSize ?? 4096)) map.delete(map.keys().next().value!);
  }
}
