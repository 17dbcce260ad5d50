import type { Pod } from '../../src/api/types';
import { pod } from './fixtures';
import { SchedulingQueue } from './scheduling-queue';

const withPriority = (p: Pod, priority: number): Pod => ({ ...p, spec: { ...p.spec!, priority } });

function drain(queue: SchedulingQueue, now: number): string[] {
  const keys: string[] = [];
  for (let e = queue.pop(now); e; e = queue.pop(now)) keys.push(e.key);
  return keys;
}

describe('the scheduling queue', () => {
  it('hands out pods by priority, then in the order they were filed, each once', () => {
    const queue = new SchedulingQueue();
    queue.file(pod('a'), 0);
    queue.file(withPriority(pod('b'), 10), 0);
    queue.file(pod('c'), 0);
    queue.file(pod('a'), 0); // filed again: keeps its place
    expect(drain(queue, 0)).toEqual(['default/b', 'default/a', 'default/c']);
    expect(queue.counts()).toMatchObject({ binding: 3, active: 0 });
  });

  it('holds a refused pod for its backoff, doubling from 1 s to at most 10 s', () => {
    const queue = new SchedulingQueue();
    queue.file(pod('a'), 0);
    const delays: number[] = [];
    let now = 0;
    for (let attempt = 0; attempt < 6; attempt++) {
      const entry = queue.pop(now)!;
      queue.retry(entry, now);
      const ready = queue.nextWakeAt()!;
      expect(queue.pop(ready - 1)).toBeUndefined();
      delays.push(ready - now);
      now = ready;
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 10000, 10000]);
  });

  it('keeps an unschedulable pod until the cluster changes, and then not before its backoff', () => {
    const queue = new SchedulingQueue();
    queue.file(pod('big'), 0);
    queue.markUnschedulable(queue.pop(0)!, 0);
    expect(queue.pop(60_000)).toBeUndefined(); // nothing changed: no retry
    queue.clusterChanged(500); // too soon after the attempt: it goes to backoff
    expect(queue.pop(500)).toBeUndefined();
    expect(queue.nextWakeAt()).toBe(1000);
    expect(queue.pop(1000)?.key).toBe('default/big');
  });

  it('retries an unschedulable pod after five minutes even when nothing seemed to change', () => {
    const queue = new SchedulingQueue();
    queue.file(pod('big'), 0);
    queue.markUnschedulable(queue.pop(0)!, 0);
    expect(queue.nextWakeAt()).toBe(300_000);
    expect(queue.pop(299_999)).toBeUndefined();
    expect(queue.pop(300_000)?.key).toBe('default/big');
  });

  it('looks again at an unschedulable pod whose spec changed, but not at a status change', () => {
    const queue = new SchedulingQueue();
    const big = pod('big', { cpu: '64' });
    queue.file(big, 0);
    queue.markUnschedulable(queue.pop(0)!, 0);
    queue.file({ ...big, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False' }] } }, 5000);
    expect(queue.pop(5000)).toBeUndefined();
    queue.file(pod('big', { cpu: '1' }), 5000);
    expect(queue.pop(5000)?.pod.spec?.containers[0].resources?.requests?.cpu).toBe('1');
  });

  it('starts afresh for a pod recreated under the same name, and forgets removed pods', () => {
    const queue = new SchedulingQueue();
    queue.file(pod('a', { uid: 'one' }), 0);
    queue.retry(queue.pop(0)!, 0);
    queue.file(pod('a', { uid: 'two' }), 10);
    expect(queue.pop(10)?.pod.metadata.uid).toBe('two');
    queue.file(pod('b'), 10);
    queue.remove('default/b');
    expect(queue.pop(20_000)).toBeUndefined();
    expect(queue.size).toBe(1);
  });

  it('ignores outcomes for an entry that was removed while its bind was in flight', () => {
    const queue = new SchedulingQueue();
    queue.file(pod('a'), 0);
    const entry = queue.pop(0)!;
    queue.remove('default/a');
    queue.retry(entry, 0);
    queue.markUnschedulable(entry, 0);
    expect(queue.size).toBe(0);
    expect(queue.nextWakeAt()).toBeUndefined();
  });
});
