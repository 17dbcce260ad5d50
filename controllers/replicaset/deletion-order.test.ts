import { deletionCost, podsToDelete } from './deletion-order';
import { pod, PodOptions, T0 } from './fixtures';

const now = T0 + 3_600_000;
const names = (pods: { metadata: { name?: string } }[]) => pods.map((p) => p.metadata.name);

describe('which pods a ReplicaSet deletes first', () => {
  const cases: Array<[string, Record<string, PodOptions>, string[]]> = [
    ['an unplaced pod before a placed one', { placed: { node: 'n1', phase: 'Pending' }, unplaced: { phase: 'Pending' } }, ['unplaced', 'placed']],
    ['a pending pod before a running one', { running: { node: 'n1', phase: 'Running' }, pending: { node: 'n1', phase: 'Pending' } }, ['pending', 'running']],
    ['an unknown pod between pending and running', { running: { node: 'n1', phase: 'Running' }, unknown: { node: 'n1', phase: 'Unknown' }, pending: { node: 'n1', phase: 'Pending' } }, ['pending', 'unknown', 'running']],
    ['a not-ready pod before a ready one', { ready: { node: 'n1', phase: 'Running', readySince: T0 }, unready: { node: 'n1', phase: 'Running' } }, ['unready', 'ready']],
    [
      'a lower deletion cost before a higher one',
      { dear: { node: 'n1', readySince: T0, annotations: { 'controller.kubernetes.io/pod-deletion-cost': '100' } }, cheap: { node: 'n1', readySince: T0, annotations: { 'controller.kubernetes.io/pod-deletion-cost': '-5' } } },
      ['cheap', 'dear'],
    ],
    ['a pod doubled up on a node before a pod alone on its node', { alone: { node: 'n1', readySince: T0 }, doubled: { node: 'n2', readySince: T0 }, twin: { node: 'n2', readySince: T0 } }, ['doubled', 'twin', 'alone']],
    ['the pod ready more recently before the one ready longer', { old: { node: 'n1', readySince: T0 }, recent: { node: 'n2', readySince: now - 10_000 } }, ['recent', 'old']],
    ['more restarts before fewer', { steady: { node: 'n1', phase: 'Running', restarts: 0 }, crashy: { node: 'n2', phase: 'Running', restarts: 7 } }, ['crashy', 'steady']],
    ['the newest before the oldest', { oldest: { node: 'n1', created: T0 }, middle: { node: 'n2', created: now - 600_000 }, newest: { node: 'n3', created: now - 5_000 } }, ['newest', 'middle', 'oldest']],
    ['unplaced beats restarts, and restarts beat age', { placedCrashy: { node: 'n1', phase: 'Pending', restarts: 9 }, unplacedOld: { phase: 'Pending', created: T0 - 1 }, placedNew: { node: 'n2', phase: 'Pending', created: now - 1_000 } }, ['unplacedOld', 'placedCrashy', 'placedNew']],
  ];
  it.each(cases)('%s', (_name, specs, expected) => {
    const pods = Object.entries(specs).map(([name, options]) => pod(name, options));
    expect(names(podsToDelete(pods, pods, pods.length - 1, now))).toEqual(expected.slice(0, -1));
    // The whole order shows in what is kept when deleting one at a time.
    for (let count = 1; count < pods.length; count++) expect(names(podsToDelete(pods, pods, count, now))).toEqual(expected.slice(0, count));
  });

  it('counts pods of sibling ReplicaSets when judging who is doubled up', () => {
    const mine = [pod('a', { node: 'n1', readySince: T0 }), pod('b', { node: 'n2', readySince: T0 })];
    const sibling = pod('s', { node: 'n2', readySince: T0 });
    expect(names(podsToDelete(mine, [...mine, sibling], 1, now))).toEqual(['b']);
  });

  it('ignores finished siblings when judging who is doubled up', () => {
    // Were the finished pod counted, both nodes would hold two and the newer pod (a) would go.
    const mine = [pod('a', { node: 'n1', readySince: T0, created: now - 1_000 }), pod('b', { node: 'n2', readySince: T0 })];
    const finished = pod('f', { node: 'n1', phase: 'Succeeded' });
    const sibling = pod('s', { node: 'n2', readySince: T0 });
    expect(names(podsToDelete(mine, [...mine, finished, sibling], 1, now))).toEqual(['b']);
  });

  it('treats pods of about the same age alike, choosing among them by uid', () => {
    // 60 and 61 minutes old are in the same power-of-two bucket of age.
    const pods = [pod('younger', { node: 'n1', created: now - 3_600_000, uid: 'b' }), pod('older', { node: 'n2', created: now - 3_660_000, uid: 'a' })];
    expect(names(podsToDelete(pods, pods, 1, now))).toEqual(['older']);
  });

  it('deletes all without sorting when asked for all', () => {
    const pods = [pod('a'), pod('b')];
    expect(names(podsToDelete(pods, pods, 5, now))).toEqual(['a', 'b']);
  });

  it.each([
    ['12', 12],
    ['-3', -3],
    ['+4', 4],
    ['1.5', 0],
    ['x', 0],
    ['99999999999', 0],
  ])('reads the deletion cost %s as %d', (text, cost) => {
    expect(deletionCost(pod('p', { annotations: { 'controller.kubernetes.io/pod-deletion-cost': text } }))).toBe(cost);
  });
});
