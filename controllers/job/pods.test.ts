import type { Job } from '../../src/api/types';
import { formatIndexes, parseIndexes, podFromTemplate, TRACKING_FINALIZER } from './pods';

describe('completed indexes', () => {
  it.each([
    [[], ''],
    [[0], '0'],
    [[0, 1, 2], '0-2'],
    [[5, 1, 3, 4, 1], '1,3-5'],
    [[0, 2, 4, 5, 6, 9], '0,2,4-6,9'],
  ])('%j → %s', (indexes, text) => {
    expect(formatIndexes(indexes)).toBe(text);
    expect([...parseIndexes(text, 100)].sort((a, b) => a - b)).toEqual([...new Set(indexes)].sort((a, b) => a - b));
  });

  it('drops indexes past completions and what it cannot read', () => {
    expect([...parseIndexes('1,3-7,x,9', 5)]).toEqual([1, 3, 4]);
  });
});

describe('pods from the template', () => {
  const job: Job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'work', namespace: 'ns', uid: 'u1' },
    spec: { template: { metadata: { labels: { 'batch.kubernetes.io/job-name': 'work' }, annotations: { a: 'b' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x', env: [{ name: 'K', value: 'v' }] }] } } },
  };

  it('carries the labels, the tracking finalizer and the Job as controller', () => {
    const pod = podFromTemplate(job);
    expect(pod.metadata).toEqual({
      generateName: 'work-',
      namespace: 'ns',
      labels: { 'batch.kubernetes.io/job-name': 'work' },
      annotations: { a: 'b' },
      finalizers: [TRACKING_FINALIZER],
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'work', uid: 'u1', controller: true, blockOwnerDeletion: true }],
    });
  });

  it('gives an indexed pod its index as annotation, label, hostname and JOB_COMPLETION_INDEX', () => {
    const pod = podFromTemplate(job, 2);
    expect(pod.metadata.generateName).toBe('work-2-');
    expect(pod.metadata.annotations?.['batch.kubernetes.io/job-completion-index']).toBe('2');
    expect(pod.metadata.labels?.['batch.kubernetes.io/job-completion-index']).toBe('2');
    expect(pod.spec?.hostname).toBe('work-2');
    expect(pod.spec?.containers[0].env).toEqual([
      { name: 'K', value: 'v' },
      { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } },
    ]);
    expect(job.spec?.template.spec?.containers[0].env).toHaveLength(1);
  });
});
