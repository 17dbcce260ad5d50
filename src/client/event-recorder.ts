/**
 * Records core/v1 Events about objects, for `kubectl describe` and `berth events`, as client-go's
 * recorder and EventCorrelator do:
 *
 *   event(obj, type, reason, message)
 *     ├─ rate limit per (component, object): a token bucket, burst 25, one more every 5 minutes;
 *     │  past it the event is dropped (counted in berth_events_dropped_total), so a hot loop
 *     │  cannot flood the API
 *     ├─ first time this (object, type, reason, message): create an Event, count 1
 *     └─ again: patch that Event's count and lastTimestamp instead of creating another
 *
 * Recording never throws and never blocks a reconcile: writes happen in the background, those
 * for one Event one after another; `flush()` waits for them (tests, shutdown).
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
  now?: () => number;
}

interface Recorded {
  namespace: string;
  name: string;
  count: number;
}

export class EventRecorder {
  private readonly recorded = new Map<string, Recorded>();
  private readonly buckets = new Map<string, TokenBucketRateLimiter>();
  private readonly chains = new Map<string, Promise<void>>();
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
      eventMetrics.dropped.inc({ component: this.options.component });
      log.debug('event dropped by the rate limit', { kind: obj.kind, name: meta.name, reason });
      return;
    }
    const key = `${involved}|${type}|${reason}|${message}`;
    // When it happened, not when the write gets its turn.
    const at = this.now();
    const name = `${meta.name}.${this.nameSuffix(at).toString(16)}`;
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.write(key, at, name, obj, type, reason, message));
    this.chains.set(key, next);
    void next.finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
  }

  /** Resolves when every event recorded so far has been written (or has failed and been logged). */
  async flush(): Promise<void> {
    while (this.chains.size > 0) await Promise.all([...this.chains.values()]);
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

  private async write(key: string, at: number, name: string, obj: Obj, type: EventType, reason: string, message: string): Promise<void> {
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
