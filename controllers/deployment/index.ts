/**
 * The `deployment` controller loop (see README.md): rolls Deployments out through ReplicaSets.
 */
import { unlessNotFound } from '../../src/api/errors';
import type { Deployment, Pod, ReplicaSet } from '../../src/api/types';
import { ControllerDeclaration, ControllerTools, controllerOf, kinds } from '../../src/client';
import type { ControllerEntry } from '..';
import { selecting } from '../replicaset';
import { DeploymentReconciler } from './reconciler';
import type { DeploymentApi } from './rollout';
import { REVISION_ANNOTATION } from './replica-sets';

export { DeploymentReconciler } from './reconciler';
export type { DeploymentReconcilerOptions } from './reconciler';
export type { DeploymentApi } from './rollout';
export { podTemplateHash } from './hash';
export { REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION } from './replica-sets';
export { POD_TEMPLATE_HASH_LABEL } from './template';

export const FIELD_MANAGER = 'berth-deployment-controller';

export function createDeploymentController(tools: ControllerTools, options: { now?: () => number } = {}): ControllerDeclaration<Deployment> {
  const deployments = tools.informers.for(kinds.Deployment);
  const replicaSets = tools.informers.for(kinds.ReplicaSet);
  const pods = tools.informers.for(kinds.Pod);
  const events = tools.recorder('deployment-controller');
  const reconciler = new DeploymentReconciler({
    deployments: deployments.cache,
    replicaSets: replicaSets.cache,
    pods: pods.cache,
    api: deploymentApi(tools),
    event: (obj, type, reason, message) => events.event(obj, type, reason, message),
    now: options.now,
  });
  /** The Recreate Deployment whose ReplicaSet controls this pod: it waits for old pods to be gone. */
  const recreateOwner = (pod: Pod): string[] => {
    const rsRef = controllerOf(pod);
    const rs = rsRef?.kind === 'ReplicaSet' ? replicaSets.cache.getByName(pod.metadata.namespace, rsRef.name) : undefined;
    const dRef = rs ? controllerOf(rs) : undefined;
    const d = dRef?.kind === 'Deployment' ? deployments.cache.getByName(pod.metadata.namespace, dRef.name) : undefined;
    return d?.spec?.strategy?.type === 'Recreate' ? [`${pod.metadata.namespace}/${d.metadata.name}`] : [];
  };
  return {
    name: 'deployment',
    for: kinds.Deployment,
    owns: [kinds.ReplicaSet],
    watches: [
      // An orphan ReplicaSet concerns every Deployment that selects it: one of them may adopt it.
      { kind: kinds.ReplicaSet, map: (rs: ReplicaSet) => (controllerOf(rs) ? [] : selecting(deployments.cache, (d) => d.spec?.selector, rs)) },
      { kind: kinds.Pod, map: recreateOwner },
    ],
    workers: 5,
    reconciler,
  };
}

function deploymentApi(tools: ControllerTools): DeploymentApi {
  const deployments = tools.client.resource(kinds.Deployment);
  const sets = tools.client.resource(kinds.ReplicaSet);
  const write = (signal?: AbortSignal) => ({ fieldManager: FIELD_MANAGER, signal });
  return {
    getDeployment: (namespace, name, signal) => unlessNotFound(deployments.namespace(namespace).get(name, { signal })),
    updateDeploymentStatus: (d, signal) => deployments.updateStatus(d, write(signal)),
    // Through the status subresource, as upstream: a status write may set annotations and does
    // not move the generation. Pinned to the version read.
    setDeploymentRevision: (d, revision, signal) =>
      deployments
        .namespace(d.metadata.namespace!)
        .patch(d.metadata.name!, 'merge', { metadata: { resourceVersion: d.metadata.resourceVersion, annotations: { [REVISION_ANNOTATION]: revision } } }, { ...write(signal), subresource: 'status' }),
    createReplicaSet: (rs, signal) => sets.create(rs, write(signal)),
    updateReplicaSet: (rs, signal) => sets.update(rs, write(signal)),
    deleteReplicaSet: async (rs, signal) => {
      await sets.namespace(rs.metadata.namespace!).delete(rs.metadata.name!, { preconditions: { uid: rs.metadata.uid, resourceVersion: rs.metadata.resourceVersion }, signal });
    },
    patchReplicaSet: (rs, operations, signal) => sets.namespace(rs.metadata.namespace!).patch(rs.metadata.name!, 'json', operations, write(signal)),
  };
}

export const deploymentEntry: ControllerEntry = {
  name: 'deployment',
  description: 'rolls Deployments out through ReplicaSets: rolling updates, Recreate, revisions, pause, progress deadlines',
  create: (tools) => createDeploymentController(tools),
};
