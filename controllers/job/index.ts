/**
 * The `job` controller loop (see README.md).
 */
import { isNotFound } from '../../src/api/errors';
import type { Job } from '../../src/api/types';
import { ControllerDeclaration, ControllerTools, Expectations, kinds } from '../../src/client';
import type { ControllerEntry, ControllerSettings } from '..';
import { JobReconciler } from './reconciler';
import { TRACKING_FINALIZER } from './pods';

export { JobReconciler } from './reconciler';
export type { JobApi, JobReconcilerOptions } from './reconciler';
export { COMPLETION_INDEX, TRACKING_FINALIZER } from './pods';

async function ignoreNotFound(request: Promise<unknown>): Promise<void> {
  try {
    await request;
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

export function createJobController(tools: ControllerTools, settings: Pick<ControllerSettings, 'now' | 'jobPodBackoffMs'> = {}): ControllerDeclaration<Job> {
  const jobs = tools.informers.for(kinds.Job);
  const pods = tools.informers.for(kinds.Pod);
  const podClient = tools.client.resource(kinds.Pod);
  const jobClient = tools.client.resource(kinds.Job);
  const events = tools.recorder('berth/job');
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
        deletePod: (pod) => ignoreNotFound(podClient.namespace(pod.metadata.namespace!).delete(pod.metadata.name!, { preconditions: { uid: pod.metadata.uid } })),
        removeTrackingFinalizer: (pod) =>
          ignoreNotFound(
            podClient.namespace(pod.metadata.namespace!).patch(pod.metadata.name!, 'strategic', { metadata: { uid: pod.metadata.uid, [`$deleteFromPrimitiveList/finalizers`]: [TRACKING_FINALIZER] } }, write),
          ),
        updateStatus: (job) => jobClient.updateStatus(job, write),
        deleteJob: (job) => ignoreNotFound(jobClient.namespace(job.metadata.namespace!).delete(job.metadata.name!, { propagationPolicy: 'Background', preconditions: { uid: job.metadata.uid } })),
      },
    }),
  };
}

export const jobEntry: ControllerEntry = {
  name: 'job',
  description: 'runs the pods of each Job to completion, counting each finished pod once',
  create: (tools, settings) => createJobController(tools, settings),
};
