/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection does:
 *
 *   candidate ── every retry period ──► read the Lease
 *        free, expired, or ours? ──► write holderIdentity = me, renewTime = now (compare-and-swap
 *        on resourceVersion: of two candidates writing the same version, one gets a Conflict)
 *   leader ── every retry period ──► renew; no successful renew for `renewDeadline`? stop leading
 *   clean stop ──► release (holder cleared), so a successor takes over at once
 *
 * Expiry is judged on this process's clock, from when it last saw the Lease change, plus the
 * holder's leaseDurationSeconds (so clocks need not agree between hosts). Because the renew
 * deadline is shorter than the lease duration, a leader cut off from the server stops acting
 * (its signal aborts) before anyone else can take over: at most renewDeadline after its last
 * renewal, while a successor waits at least leaseDuration after seeing it.
 */
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { isAlreadyExists, isConflict, isNotFound } from '../api/errors';
import type { Lease } from '../api/types';
import { errorMessage, logger, Logger } from '../log';
import { sleep, timedSignal } from './abort';
import type { Client } from './client';
import { kinds } from './kinds';
import { leaderMetrics } from './metrics';
import type { ResourceClient } from './resource-client';

export interface LeaderElectionOptions {
  client: Client;
  /** The Lease's namespace (default kube-system) and name. */
  namespace?: string;
  name: string;
  /** Who this candidate is (default: host name plus a random suffix, unique per process). */
  identity?: string;
  /** How long others wait after the last renewal seen before taking over (default 15 s; whole seconds on the wire). */
  leaseDurationMs?: number;
  /** How long a leader keeps trying to renew before it gives up leading (default 10 s). */
  renewDeadlineMs?: number;
  /** How often candidates try and leaders renew (default 2 s). */
  retryPeriodMs?: number;
  /**
   * Called once this candidate leads. `signal` aborts when it stops leading (lost the lease, or
   * the elector's signal aborted); if it returns a promise, a clean stop waits for it before
   * releasing the lease, so the successor never overlaps with it.
   */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** Release the lease when the signal aborts (default true); false leaves it to expire, as a crash would. */
  releaseOnCancel?: boolean;
  /** Called after leading ended, whatever the reason. */
  onStoppedLeading?(): void;
  /** Called when the holder this candidate sees changes (including to itself). */
  onNewLeader?(identity: string): void;
}

type Attempt = 'acquired' | 'held' | 'failed';

export class LeaderElector {
  readonly identity: string;
  private readonly leases: ResourceClient<Lease>;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly log: Logger;
  /** The Lease as last read or written, and when (on this clock) it was last seen to change. */
  private observed?: Lease;
  private observedAt = 0;
  private reportedLeader?: string;

  constructor(private readonly options: LeaderElectionOptions) {
    this.identity = options.identity ?? `${os.hostname()}_${randomBytes(4).toString('hex')}`;
    this.leases = options.client.resource(kinds.Lease, options.namespace ?? 'kube-system');
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    if (this.leaseDurationMs <= this.renewDeadlineMs) throw new Error(`leader election "${options.name}": the lease duration must be longer than the renew deadline`);
    if (this.renewDeadlineMs <= this.retryPeriodMs * 1.2) throw new Error(`leader election "${options.name}": the renew deadline must be longer than 1.2 retry periods`);
    this.log = logger('leader-election', { lease: options.name, identity: this.identity });
  }

  /** The holder this candidate last saw, if any. */
  get leader(): string | undefined {
    return this.observed?.spec?.holderIdentity || undefined;
  }

  isLeader(): boolean {
    return this.leader === this.identity;
  }

  /**
   * Campaigns until leading, leads until `signal` aborts or the lease is lost, then resolves
   * (after `onStoppedLeading`). A process that lost the lease should exit or start over: the
   * world may have moved on under a successor.
   */
  async run(signal: AbortSignal): Promise<void> {
    if (!(await this.acquire(signal))) return;
    leaderMetrics.leading.set({ name: this.options.name }, 1);
    const leading = new AbortController();
    let work: Promise<void> = Promise.resolve();
    try {
      work = Promise.resolve()
        .then(() => this.options.onStartedLeading(leading.signal))
        .catch((e) => {
          this.log.error('onStartedLeading failed', { error: errorMessage(e) });
        });
      const ended = await this.renew(signal, leading);
      if (ended === 'cancelled') {
        leading.abort(new Error('leader election stopped'));
        await work;
        if (this.options.releaseOnCancel !== false) await this.release();
      }
    } finally {
      leading.abort(new Error('leadership lost'));
      leaderMetrics.leading.set({ name: this.options.name }, 0);
      try {
        this.options.onStoppedLeading?.();
      } catch (e) {
        this.log.error('onStoppedLeading failed', { error: errorMessage(e) });
      }
    }
  }

  /** Tries every retry period (with jitter) until the lease is ours; false if `signal` aborted first. */
  private async acquire(signal: AbortSignal): Promise<boolean> {
    this.log.info('campaigning for the lease');
    while (!signal.aborted) {
      const attempt = await this.tryAcquireOrRenew(signal, this.retryPeriodMs);
      if (attempt === 'acquired') {
        this.log.info('acquired the lease');
        return true;
      }
      await sleep(this.retryPeriodMs * (1 + Math.random() * 0.2), signal);
    }
    return false;
  }

  /**
   * Renews every retry period. Returns 'cancelled' when `signal` aborted (still leading: the
   * caller releases), 'lost' when another holder took the lease or no renewal succeeded within
   * the renew deadline — in which case `leading` is aborted the moment the deadline passes, even
   * with a renewal still in flight.
   */
  private async renew(signal: AbortSignal, leading: AbortController): Promise<'cancelled' | 'lost'> {
    let deadline = this.deadline(leading);
    const either = AbortSignal.any([signal, leading.signal]);
    try {
      while (!signal.aborted && !leading.signal.aborted) {
        if (!(await sleep(this.retryPeriodMs, either))) break;
        if (leading.signal.aborted) break;
        const attempt = await this.tryAcquireOrRenew(leading.signal, this.retryPeriodMs);
        if (attempt === 'acquired') {
          clearTimeout(deadline);
          deadline = this.deadline(leading);
        } else if (attempt === 'held') {
          this.log.warn('another candidate holds the lease; stopping', { holder: this.leader });
          return 'lost';
        }
      }
      if (leading.signal.aborted) {
        this.log.error('could not renew the lease within the renew deadline; stopping', { renewDeadlineMs: this.renewDeadlineMs });
        return 'lost';
      }
      return 'cancelled';
    } finally {
      clearTimeout(deadline);
    }
  }

  private deadline(leading: AbortController): NodeJS.Timeout {
    return setTimeout(() => leading.abort(new Error('renew deadline passed')), this.renewDeadlineMs);
  }

  /** One read-and-write of the Lease: 'acquired' (ours now), 'held' (someone else's, valid) or 'failed' (an error; try again). */
  private async tryAcquireOrRenew(parent: AbortSignal, timeoutMs: number): Promise<Attempt> {
    const timed = timedSignal(timeoutMs, parent);
    const signal = timed.signal;
    try {
      const now = Date.now();
      let current: Lease;
      try {
        current = await this.leases.get(this.options.name, { signal });
      } catch (e) {
        if (!isNotFound(e)) throw e;
        const created = await this.leases.create(
          { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.options.name }, spec: this.spec(now, now, 0) },
          { signal },
        );
        this.see(created, Date.now());
        return 'acquired';
      }
      this.see(current, now);
      const held = current.spec?.holderIdentity;
      const durationMs = (current.spec?.leaseDurationSeconds ?? 0) * 1000;
      if (held && held !== this.identity && this.observedAt + durationMs > now) return 'held';
      const ours = held === this.identity;
      const transitions = current.spec?.leaseTransitions ?? 0;
      const spec = this.spec(now, ours && current.spec?.acquireTime ? Date.parse(current.spec.acquireTime) : now, ours ? transitions : transitions + 1);
      const updated = await this.leases.update({ ...current, spec: { ...current.spec, ...spec } }, { signal });
      this.see(updated, Date.now());
      return 'acquired';
    } catch (e) {
      if (isConflict(e) || isAlreadyExists(e)) return 'failed';
      if (!parent.aborted) this.log.warn('could not read or write the lease', { error: errorMessage(e) });
      return 'failed';
    } finally {
      timed.dispose();
    }
  }

  /** Clears the holder so a successor need not wait out the lease. */
  private async release(): Promise<void> {
    const current = this.observed;
    if (!current || !this.isLeader()) return;
    const timed = timedSignal(this.renewDeadlineMs);
    try {
      const now = Date.now();
      const released = await this.leases.update(
        { ...current, spec: { ...current.spec, holderIdentity: '', leaseDurationSeconds: 1, acquireTime: microTime(now), renewTime: microTime(now) } },
        { signal: timed.signal },
      );
      this.see(released, Date.now());
      this.log.info('released the lease');
    } catch (e) {
      this.log.warn('could not release the lease; the next leader waits for it to expire', { error: errorMessage(e) });
    } finally {
      timed.dispose();
    }
  }

  private spec(now: number, acquiredAt: number, transitions: number): NonNullable<Lease['spec']> {
    return {
      holderIdentity: this.identity,
      leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
      acquireTime: microTime(acquiredAt),
      renewTime: microTime(now),
      leaseTransitions: transitions,
    };
  }

  /** Remembers the Lease; the expiry clock restarts only when its content changed. */
  private see(lease: Lease, now: number): void {
    const before = this.observed?.spec;
    const after = lease.spec;
    if (!before || before.holderIdentity !== after?.holderIdentity || before.renewTime !== after?.renewTime) this.observedAt = now;
    this.observed = lease;
    const holder = after?.holderIdentity ?? '';
    if (holder && holder !== this.reportedLeader) {
      this.reportedLeader = holder;
      this.log.info('new leader observed', { holder });
      try {
        this.options.onNewLeader?.(holder);
      } catch (e) {
        this.log.error('onNewLeader failed', { error: errorMessage(e) });
      }
    }
  }
}

/** meta/v1 MicroTime: RFC 3339 with microseconds. */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
