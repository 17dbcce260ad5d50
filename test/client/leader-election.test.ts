import type { Client } from '../../src/client/client';
import { LeaderElector, LeaderElectionOptions } from '../../src/client/leader-election';
import { kinds } from '../../src/client/kinds';
import type { TestApiServer } from '../support/api-server';
import { clientFor, eventually, startServer } from './support';
import { TcpProxy } from './tcp-proxy';

let server: TestApiServer;
let client: Client;

beforeAll(async () => {
  server = await startServer();
  client = clientFor(server.url);
});
afterAll(async () => {
  client.close();
  await server.stop();
});

const timing = { leaseDurationMs: 2000, renewDeadlineMs: 1200, retryPeriodMs: 200 };

/** A candidate that records when it led and when it stopped. */
class Candidate {
  readonly elector: LeaderElector;
  readonly stop = new AbortController();
  leading = false;
  startedAt?: number;
  stoppedAt?: number;
  running: Promise<void>;

  constructor(identity: string, lease: string, options: Partial<LeaderElectionOptions> = {}, over: Client = client) {
    this.elector = new LeaderElector({
      client: over,
      namespace: 'default',
      name: lease,
      identity,
      ...timing,
      ...options,
      onStartedLeading: (signal) => {
        this.leading = true;
        this.startedAt = Date.now();
        signal.addEventListener('abort', () => {
          this.leading = false;
          this.stoppedAt = Date.now();
        });
      },
    });
    this.running = this.elector.run(this.stop.signal);
  }

  async end(): Promise<void> {
    this.stop.abort();
    await this.running;
  }
}

describe('leader election', () => {
  it('lets exactly one of two candidates lead, and records it on the Lease', async () => {
    const a = new Candidate('a', 'one-leader');
    const b = new Candidate('b', 'one-leader');
    await eventually('a leader', () => a.leading || b.leading);
    const samples: number[] = [];
    for (let i = 0; i < 60; i++) {
      samples.push(Number(a.leading) + Number(b.leading));
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(new Set(samples)).toEqual(new Set([1]));
    const leader = a.leading ? 'a' : 'b';
    const lease = await client.resource(kinds.Lease, 'default').get('one-leader');
    expect(lease.spec).toMatchObject({ holderIdentity: leader, leaseDurationSeconds: 2, leaseTransitions: 0 });
    expect(lease.spec!.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    await a.end();
    await b.end();
  });

  it('hands over within the lease duration when the leader dies without releasing', async () => {
    const a = new Candidate('a', 'killed', { releaseOnCancel: false });
    await eventually('a to lead', () => a.leading);
    const b = new Candidate('b', 'killed');
    await new Promise((r) => setTimeout(r, 300));
    expect(b.leading).toBe(false);
    const killedAt = Date.now();
    await a.end();
    await eventually('b to take over', () => b.leading, 5000);
    const waited = b.startedAt! - killedAt;
    // b waits out the lease from the last renewal it saw (within a retry period before the kill), then one more try.
    expect(waited).toBeGreaterThan(timing.leaseDurationMs - 2 * timing.retryPeriodMs);
    expect(waited).toBeLessThan(timing.leaseDurationMs + 2 * timing.retryPeriodMs);
    const lease = await client.resource(kinds.Lease, 'default').get('killed');
    expect(lease.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    await b.end();
  });

  it('hands over at once when the leader releases on a clean stop', async () => {
    const a = new Candidate('a', 'released');
    await eventually('a to lead', () => a.leading);
    const b = new Candidate('b', 'released');
    await new Promise((r) => setTimeout(r, 300));
    const stoppedAt = Date.now();
    await a.end();
    expect(a.stoppedAt).toBeLessThanOrEqual(Date.now());
    await eventually('b to take over', () => b.leading, 5000);
    expect(b.startedAt! - stoppedAt).toBeLessThan(2 * timing.retryPeriodMs + 200);
    await b.end();
  });

  it('stops a leader cut off from the server before anyone else can lead', async () => {
    const proxy = await TcpProxy.start(server.url);
    const cutClient = clientFor(proxy.url, { maxRetries: 0 });
    const a = new Candidate('a', 'partitioned', {}, cutClient);
    await eventually('a to lead', () => a.leading);
    const b = new Candidate('b', 'partitioned');
    await new Promise((r) => setTimeout(r, 300));
    const cutAt = Date.now();
    proxy.partition();
    await eventually('b to take over', () => b.leading, 6000);
    expect(a.stoppedAt).toBeDefined();
    expect(a.stoppedAt!).toBeLessThan(b.startedAt!);
    // a gave up within the renew deadline of its last renewal, which was at most a retry period before the cut.
    expect(a.stoppedAt! - cutAt).toBeLessThanOrEqual(timing.renewDeadlineMs + 50);
    expect(b.startedAt! - a.stoppedAt!).toBeGreaterThan(timing.leaseDurationMs - timing.renewDeadlineMs - timing.retryPeriodMs);
    await a.running; // it stopped by itself
    await b.end();
    cutClient.close();
    await proxy.close();
  });

  it('refuses timings where a leader could outlive its lease', () => {
    expect(() => new LeaderElector({ client, name: 'x', leaseDurationMs: 1000, renewDeadlineMs: 1000, onStartedLeading: () => undefined })).toThrow('lease duration must be longer than the renew deadline');
    expect(() => new LeaderElector({ client, name: 'x', leaseDurationMs: 3000, renewDeadlineMs: 1000, retryPeriodMs: 900, onStartedLeading: () => undefined })).toThrow('1.2 retry periods');
  });
});
