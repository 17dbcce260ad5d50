import { Conflict } from '../../src/api/errors';
import type { Pod } from '../../src/api/types';
import { deepFreeze } from '../../src/util/json';
import { node, pod } from './fixtures';
import { Binder, Reporter, Scheduler, SchedulerOptions } from './scheduler';

interface Bind {
  pod: string;
  node: string;
  settle(error?: Error): void;
}

/** A binder whose binds wait for the test to settle them; the informer side is the test's too. */
function harness(options: SchedulerOptions = {}) {
  const binds: Bind[] = [];
  const binder: Binder = (p, n, signal) =>
    new Promise<void>((resolve, reject) => {
      signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      binds.push({ pod: p.metadata.name!, node: n, settle: (error) => (error ? reject(error) : resolve()) });
    });
  const reports: Array<{ pod: string; message: string }> = [];
  const scheduled: string[] = [];
  const reporter: Reporter = {
    scheduled: (p, n) => scheduled.push(`${p.metadata.name}→${n}`),
    unschedulable: (p, message) => reports.push({ pod: p.metadata.name!, message }),
  };
  const scheduler = new Scheduler(binder, reporter, options);
  const stop = new AbortController();
  const running = scheduler.run(stop.signal);
  /** What the informer and the reconcile would do for a new or changed pod. */
  const see = (p: Pod) => {
    const frozen = deepFreeze(structuredClone(p));
    scheduler.podChanged(frozen);
    scheduler.sync(`${p.metadata.namespace}/${p.metadata.name}`, frozen);
  };
  return {
    scheduler,
    binds,
    reports,
    scheduled,
    see,
    stop: async () => {
      stop.abort();
      await running;
    },
  };
}

const tick = () => new Promise((r) => setImmediate(r));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

describe('the placement loop', () => {
  it('binds every pending pod, each decision counting the binds still in flight', async () => {
    const h = harness();
    for (const n of ['n1', 'n2', 'n3']) h.scheduler.nodeChanged(undefined, node(n, { cpu: '1' }));
    for (const p of ['a', 'b', 'c']) h.see(pod(p, { cpu: '1' }));
    await until('three binds', () => h.binds.length === 3);
    // No bind has completed, yet no node got two one-cpu pods.
    expect(h.binds.map((b) => b.node).sort()).toEqual(['n1', 'n2', 'n3']);
    h.see(pod('d', { cpu: '1' }));
    await until('a report for d', () => h.reports.length === 1);
    expect(h.reports[0]).toEqual({ pod: 'd', message: '0/3 nodes are available: 3 Insufficient cpu.' });
    for (const b of h.binds) b.settle();
    await h.scheduler.settled();
    expect(h.scheduled.sort()).toEqual(h.binds.map((b) => `${b.pod}→${b.node}`).sort());
    await h.stop();
  });

  it('keeps no more binds in flight than allowed', async () => {
    const h = harness({ maxInFlight: 4 });
    h.scheduler.nodeChanged(undefined, node('n1', { cpu: '100' }));
    for (let i = 0; i < 10; i++) h.see(pod(`p${i}`, { cpu: '100m' }));
    await until('four binds', () => h.binds.length === 4);
    await sleep(20);
    expect(h.binds).toHaveLength(4);
    h.binds[0].settle();
    await until('a fifth bind', () => h.binds.length === 5);
    let most = 0;
    while (h.binds.length < 10) {
      for (const b of h.binds) b.settle();
      await tick();
      most = Math.max(most, h.scheduler.bindsInFlight);
    }
    expect(most).toBeLessThanOrEqual(4);
    for (const b of h.binds) b.settle();
    await h.stop();
  });

  it('forgets a refused bind and tries the pod again after its backoff, elsewhere if the node filled up', async () => {
    const h = harness({ initialBackoffMs: 30 });
    h.scheduler.nodeChanged(undefined, node('n1', { cpu: '2' }));
    h.scheduler.nodeChanged(undefined, node('n2', { cpu: '1' }));
    h.see(pod('a', { cpu: '1' }));
    await until('a bind', () => h.binds.length === 1);
    expect(h.binds[0].node).toBe('n1');
    // Another placement loop filled n1 meanwhile: the server says no, and the informer shows why.
    h.scheduler.podChanged(pod('other', { cpu: '2', nodeName: 'n1' }));
    h.binds[0].settle(new Conflict('pod a does not fit on node "n1": Insufficient cpu'));
    await tick();
    expect(h.scheduler.snapshot.node('n1')!.requestedCpu).toBe(2000); // the assumption is gone, the other pod counts
    await sleep(10);
    expect(h.binds).toHaveLength(1); // still in its backoff
    await until('the retry', () => h.binds.length === 2);
    expect(h.binds[1].node).toBe('n2');
    h.binds[1].settle();
    await h.stop();
  });

  it('reports an unschedulable pod once, does not retry it while nothing changes, and binds it once a node fits', async () => {
    const h = harness({ initialBackoffMs: 20 });
    h.scheduler.nodeChanged(undefined, node('small', { cpu: '1' }));
    h.see(pod('big', { cpu: '4' }));
    await until('the report', () => h.reports.length === 1);
    expect(h.reports[0].message).toBe('0/1 nodes are available: 1 Insufficient cpu.');
    // Status updates of the pod itself (our own PodScheduled write) and node heartbeats are no reason to look again.
    h.see({ ...pod('big', { cpu: '4' }), status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] } });
    const beat = node('small', { cpu: '1' });
    h.scheduler.nodeChanged(beat, { ...beat, status: { ...beat.status, conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2030-01-01T00:00:00Z' }] } });
    await sleep(60);
    expect(h.binds).toHaveLength(0);
    expect(h.scheduler.queue.counts().unschedulable).toBe(1);
    h.scheduler.nodeChanged(undefined, node('large', { cpu: '8' }));
    await until('the bind', () => h.binds.length === 1);
    expect(h.binds[0]).toMatchObject({ pod: 'big', node: 'large' });
    expect(h.reports).toHaveLength(1);
    h.binds[0].settle();
    await h.stop();
  });

  it('reports again only when the reason changes', async () => {
    const h = harness({ initialBackoffMs: 5, maxBackoffMs: 5 });
    h.scheduler.nodeChanged(undefined, node('n1', { cpu: '1' }));
    h.see(pod('big', { cpu: '4' }));
    await until('the first report', () => h.reports.length === 1);
    h.scheduler.nodeChanged(undefined, node('n2', { cpu: '1' }));
    await until('the second report', () => h.reports.length === 2);
    expect(h.reports[1].message).toBe('0/2 nodes are available: 2 Insufficient cpu.');
    h.scheduler.podChanged(pod('unrelated', { nodeName: 'n1' }));
    await sleep(40);
    expect(h.reports).toHaveLength(2);
    await h.stop();
  });

  it('leaves alone pods that are bound, being deleted, gated, finished or for another scheduler', async () => {
    const h = harness();
    h.scheduler.nodeChanged(undefined, node('n1'));
    const other = pod('other');
    other.spec!.schedulerName = 'my-scheduler';
    const gated = pod('gated');
    gated.spec!.schedulingGates = [{ name: 'wait' }];
    for (const p of [pod('bound', { nodeName: 'n1' }), pod('deleting', { terminating: true }), pod('done', { phase: 'Succeeded' }), other, gated]) h.see(p);
    const named = pod('named');
    named.spec!.schedulerName = 'default-scheduler';
    h.see(named);
    await until('one bind', () => h.binds.length === 1);
    await sleep(20);
    expect(h.binds.map((b) => b.pod)).toEqual(['named']);
    h.binds[0].settle();
    await h.stop();
  });

  it('keeps its assumption when the informer shows the pod still unbound while the bind is in flight', async () => {
    const h = harness();
    h.scheduler.nodeChanged(undefined, node('n1', { cpu: '1' }));
    h.see(pod('a', { cpu: '1' }));
    await until('a bind', () => h.binds.length === 1);
    h.scheduler.podChanged(pod('a', { cpu: '1', labels: { touched: 'yes' } }));
    expect(h.scheduler.snapshot.node('n1')!.requestedCpu).toBe(1000);
    h.binds[0].settle();
    await h.stop();
  });

  it('drops a pod deleted while its bind was in flight, and forgets unconfirmed assumptions when it stops', async () => {
    const h = harness();
    h.scheduler.nodeChanged(undefined, node('n1', { cpu: '4' }));
    h.see(pod('a', { cpu: '1' }));
    h.see(pod('b', { cpu: '1' }));
    await until('two binds', () => h.binds.length === 2);
    h.scheduler.sync('default/a', undefined);
    h.binds[0].settle(new Conflict('pod a is being deleted, cannot be assigned to a host'));
    await tick();
    expect(h.scheduler.queue.get('default/a')).toBeUndefined();
    await h.stop(); // b's bind is aborted
    expect(h.scheduler.snapshot.node('n1')!.requestedCpu).toBe(0);
    expect(h.scheduler.queue.size).toBe(0);
  });
});
