/**
 * The `job` controller loop (see README.md).
 */
import { unlessNotFound } from '../../src/api/errors';
import type { Job } from '../../src/api/types';
import { ControllerDeclaration, ControllerTools, Expectations, kinds } from '../../src/client';
import type { ControllerEntry, ControllerSettings } from '..';
import { JobReconciler } from './reconciler';
import { TRACKING_FINALIZER } from './pods';

export { JobReconciler } from './reconciler';
export type { JobApi, JobReconcilerOptions } from './reconciler';
export { COMPLETION_INDEX, TRACKING_FINALIZER } from './pods';

/** Deleting or releasing what is already gone is done. */
async function doneIfGone(request: Promise<unknown>): Promise<void> {
  await unlessNotFound(request);
}

export function createJobController(tools: ControllerTools, settings: Pick<ControllerSettings, 'now' | 'jobPodBackoffMs'> = {}): ControllerDeclaration<Job> {
  const jobs = tools.informers.for(kinds.Job);
  const pods = tools.informers.for(kinds.Pod);
  const podClient = tools.client.resource(kinds.Pod);
  const jobClient = tools.client.resource(kinds.Job);
  const events = tools.recorder('job-controller');
  const expectations = new Expectations();
  const write = { fieldManager: 'berth-job-controller' };
  return {
    name: 'job',
    for: kinds.Job,
    owns: [kinds.Pod],
    workers: 4,
    expectations,
    reconciler: new JobReconciler({
      jobs: jobs.cache,
      pods: pods.cache,
      expectations,
      now: settings.now,
      podBackoffMs: settings.jobPodBackoffMs,
      event: (job, type, reason, message) => events.event(job, type, reason, message),
      api: {
        createPod: (pod) => podClient.create(pod, write),
        deletePod: (pod) => doneIfGone(podClient.namespace(pod.metadata.namespace!).delete(pod.metadata.name!, { preconditions: { uid: pod.metadata.uid } })),
        removeTrackingFinalizer: (pod) =>
          doneIfGone(
            podClient.namespace(pod.metadata.namespace!).patch(pod.metadata.name!, 'strategic', { metadata: { uid: pod.metadata.uid, [`$deleteFromPrimitiveList/finalizers`]: [TRACKING_FINALIZER] } }, write),
          ),
        updateStatus: (job) => jobClient.updateStatus(job, write),
        deleteJob: (job) => doneIfGone(jobClient.namespace(job.metadata.namespace!).delete(job.metadata.name!, { propagationPolicy: 'Background', preconditions: { uid: job.metadata.uid } })),
      },
    }),
  };
}

export const jobEntry: ControllerEntry = {
  name: 'job',
  description: 'runs the pods of each Job to completion, counting each finished pod once',
  create: (tools, settings) => createJobController(tools, settings),
};
