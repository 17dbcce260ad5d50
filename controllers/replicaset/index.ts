/**
 * The `replicaset` controller loop (see README.md): keeps `replicas` pods of each ReplicaSet.
 */
import { unlessNotFound } from '../../src/api/errors';
import type { Obj } from '../../src/api/object';
import { fromLabelSelector, LabelSelector } from '../../src/api/selector';
import type { Pod, ReplicaSet } from '../../src/api/types';
import { ControllerDeclaration, ControllerTools, controllerOf, Expectations, keyOf, kinds, ObjectCache } from '../../src/client';
import type { ControllerEntry } from '..';
import { ReplicaSetApi, ReplicaSetReconciler } from './reconciler';

export { ReplicaSetReconciler } from './reconciler';
export type { RecordEvent, ReplicaSetApi, ReplicaSetReconcilerOptions } from './reconciler';
export { claimObjects, claimDecision, checkOwnerForAdoption } from './claim';
export type { JsonPatchOperation } from './claim';
export { controllerRef } from './pod-template';
export { isPodActive, isPodAvailable, isPodReady } from './pod-state';
export { findCondition, parseTime, timestamp, withCondition, withoutCondition } from './conditions';
export type { ConditionLike } from './conditions';

export const FIELD_MANAGER = 'berth-replicaset-controller';

export function createReplicaSetController(tools: ControllerTools, options: { now?: () => number } = {}): ControllerDeclaration<ReplicaSet> {
  const replicaSets = tools.informers.for(kinds.ReplicaSet);
  const pods = tools.informers.for(kinds.Pod);
  const events = tools.recorder('replicaset-controller');
  const expectations = new Expectations();
  const reconciler = new ReplicaSetReconciler({
    replicaSets: replicaSets.cache,
    pods: pods.cache,
    expectations,
    api: replicaSetApi(tools),
    event: (obj, type, reason, message) => events.event(obj, type, reason, message),
    now: options.now,
  });
  return {
    name: 'replicaset',
    for: kinds.ReplicaSet,
    owns: [kinds.Pod],
    // An orphan pod concerns every ReplicaSet that selects it: one of them may adopt it.
    watches: [{ kind: kinds.Pod, map: (pod: Pod) => (controllerOf(pod) ? [] : selecting(replicaSets.cache, (rs) => rs.spec?.selector, pod)) }],
    workers: 5,
    expectations,
    reconciler,
  };
}

/** The keys of the objects in `owners` (in `obj`'s namespace) whose selector matches `obj`'s labels. */
export function selecting<O extends Obj>(owners: ObjectCache<O>, selectorOf: (owner: O) => LabelSelector | undefined, obj: Obj): string[] {
  const labels = obj.metadata.labels ?? {};
  return owners
    .list({ namespace: obj.metadata.namespace })
    .filter((owner) => {
      try {
        return fromLabelSelector(selectorOf(owner)).matches(labels);
      } catch {
        return false;
      }
    })
    .map(keyOf);
}

function replicaSetApi(tools: ControllerTools): ReplicaSetApi {
  const sets = tools.client.resource(kinds.ReplicaSet);
  const pods = tools.client.resource(kinds.Pod);
  const write = (signal?: AbortSignal) => ({ fieldManager: FIELD_MANAGER, signal });
  return {
    getReplicaSet: (namespace, name, signal) => unlessNotFound(sets.namespace(namespace).get(name, { signal })),
    updateReplicaSetStatus: (rs, signal) => sets.updateStatus(rs, write(signal)),
    createPod: (pod, signal) => pods.create(pod, write(signal)),
    deletePod: async (pod, signal) => {
      await pods.namespace(pod.metadata.namespace!).delete(pod.metadata.name!, { preconditions: { uid: pod.metadata.uid }, signal });
    },
    patchPod: (pod, operations, signal) => pods.namespace(pod.metadata.namespace!).patch(pod.metadata.name!, 'json', operations, write(signal)),
  };
}

export const replicaSetEntry: ControllerEntry = {
  name: 'replicaset',
  description: 'keeps the number of pods each ReplicaSet asks for: creates, adopts, releases and deletes them',
  create: (tools) => createReplicaSetController(tools),
};
