import type { Pod, Taint, Toleration } from '../../src/api/types';
import { evictionTime } from './eviction';

const unreachable: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2030-01-01T00:00:00Z' };
const added = Date.parse('2030-01-01T00:00:00Z');
const admissionDefaults: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

const pod = (tolerations: Toleration[]): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [], tolerations } });
const options = { podEvictionTimeoutMs: 5000, firstSeen: () => added + 99_000 };

describe('when a pod on a NoExecute-tainted node goes', () => {
  it.each<[string, Toleration[], Taint[], number | undefined]>([
    ['at once without a matching toleration', [], [unreachable], 0],
    ['after the admission default, read as the podEvictionTimeout setting', admissionDefaults, [unreachable], added + 5000],
    ['after its own tolerationSeconds', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }], [unreachable], added + 60_000],
    ['never, tolerated without a limit', [{ operator: 'Exists' }], [unreachable], undefined],
    ['at once when tolerationSeconds is negative', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: -5 }], [unreachable], added],
    ['never for NoSchedule taints alone', [], [{ key: 'dedicated', effect: 'NoSchedule' }], undefined],
    ['at once when one of two NoExecute taints is not tolerated', admissionDefaults, [unreachable, { key: 'evict-me', effect: 'NoExecute' }], 0],
    ['by the first toleration that matches a taint', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }, { operator: 'Exists' }], [unreachable], added + 10_000],
    ['counting from when the taint was first seen when it has no timeAdded', [{ key: 'k', operator: 'Exists', tolerationSeconds: 1 }], [{ key: 'k', effect: 'NoExecute' }], added + 99_000 + 1000],
  ])('%s', (_what, tolerations, taints, expected) => {
    const due = evictionTime(pod(tolerations), taints, options);
    if (expected === 0) expect(due).toBe(0);
    else expect(due).toBe(expected);
  });
});
