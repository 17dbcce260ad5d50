/** apps/v1 ReplicaSet, Deployment and DaemonSet (StatefulSet: apps-statefulset.ts). */
import * as t from 'io-ts';
import { described, enumOf, mergeList, retainKeys, struct } from '../codecs';
import { int32, int64, intOrString, time } from '../scalars';
import { ConditionStatus } from './core-common';
import { PodTemplateSpec } from './core-pod';
import { LabelSelector, resource } from './meta';

/** The condition shape of the apps/v1 kinds (type, status, last transition, reason, message). */
export const conditionOf = (name: string, extra: t.Props = {}) =>
  struct(
    name,
    { type: described(t.string, 'Type of condition.'), status: described(ConditionStatus, 'True, False or Unknown.') },
    {
      ...extra,
      lastTransitionTime: described(time, 'When the status last changed.'),
      reason: described(t.string, 'The reason for the last transition.'),
      message: described(t.string, 'A human readable message about the last transition.'),
    },
  );

export const ReplicaSetCondition = conditionOf('ReplicaSetCondition');

export const ReplicaSetSpec = struct(
  'ReplicaSetSpec',
  { selector: described(LabelSelector, 'Selects the pods the ReplicaSet counts; must match the template labels.') },
  {
    replicas: described(int32, 'Number of desired pods. Defaults to 1.'),
    minReadySeconds: described(int32, 'Seconds a new pod must be ready without crashing to count as available.'),
    template: described(PodTemplateSpec, 'The pods created when too few exist.'),
  },
);
export type ReplicaSetSpec = t.TypeOf<typeof ReplicaSetSpec>;

export const ReplicaSetStatus = struct(
  'ReplicaSetStatus',
  { replicas: described(int32, 'The most recently observed number of pods.') },
  {
    fullyLabeledReplicas: described(int32, 'Pods whose labels match the template labels.'),
    readyReplicas: described(int32, 'Pods that are ready.'),
    availableReplicas: described(int32, 'Pods that have been ready for at least minReadySeconds.'),
    observedGeneration: described(int64, 'The generation this status reflects.'),
    conditions: described(mergeList(ReplicaSetCondition, 'type'), 'The latest observations of the state.'),
  },
);
export type ReplicaSetStatus = t.TypeOf<typeof ReplicaSetStatus>;

export const ReplicaSet = resource(
  'apps/v1',
  'ReplicaSet',
  'ReplicaSet keeps a number of identical pods running.',
  {},
  {
    spec: described(ReplicaSetSpec, 'The desired behaviour of the ReplicaSet.'),
    status: described(ReplicaSetStatus, 'The most recently observed status; written by the ReplicaSet controller.'),
  },
);
export type ReplicaSet = t.TypeOf<typeof ReplicaSet>;

export const RollingUpdateDeployment = struct(
  'RollingUpdateDeployment',
  {},
  {
    maxUnavailable: described(intOrString, 'Pods that may be unavailable during the update, a number or a percentage. Defaults to 25%.'),
    maxSurge: described(intOrString, 'Pods that may be created above the desired number, a number or a percentage. Defaults to 25%.'),
  },
);

export const DeploymentStrategy = retainKeys(
  struct(
    'DeploymentStrategy',
    {},
    {
      type: described(enumOf('DeploymentStrategyType', ['Recreate', 'RollingUpdate']), 'Recreate or RollingUpdate. Defaults to RollingUpdate.'),
      rollingUpdate: described(RollingUpdateDeployment, 'Parameters of a rolling update; only with type RollingUpdate.'),
    },
  ),
);
export type DeploymentStrategy = t.TypeOf<typeof DeploymentStrategy>;

export const DeploymentSpec = struct(
  'DeploymentSpec',
  {
    selector: described(LabelSelector, 'Selects the pods of this deployment; must match the template labels. Immutable.'),
    template: described(PodTemplateSpec, 'The pods to run.'),
  },
  {
    replicas: described(int32, 'Number of desired pods. Defaults to 1.'),
    strategy: described(DeploymentStrategy, 'How existing pods are replaced by new ones.'),
    minReadySeconds: described(int32, 'Seconds a new pod must be ready without crashing to count as available.'),
    revisionHistoryLimit: described(int32, 'Old ReplicaSets kept for rollback. Defaults to 10.'),
    paused: described(t.boolean, 'Pauses the rollout.'),
    progressDeadlineSeconds: described(int32, 'Seconds without progress before the rollout counts as failed. Defaults to 600.'),
  },
);
export type DeploymentSpec = t.TypeOf<typeof DeploymentSpec>;

export const DeploymentCondition = conditionOf('DeploymentCondition', {
  lastUpdateTime: described(time, 'The last time this condition was updated.'),
});

export const DeploymentStatus = struct(
  'DeploymentStatus',
  {},
  {
    observedGeneration: described(int64, 'The generation this status reflects.'),
    replicas: described(int32, 'Pods targeted by this deployment (their labels match the selector).'),
    updatedReplicas: described(int32, 'Pods that run the current template.'),
    readyReplicas: described(int32, 'Pods that are ready.'),
    availableReplicas: described(int32, 'Pods that have been ready for at least minReadySeconds.'),
    unavailableReplicas: described(int32, 'Pods still needed for the deployment to be fully available.'),
    conditions: described(mergeList(DeploymentCondition, 'type'), 'The latest observations of the state.'),
    collisionCount: described(int32, 'Hash collisions of the template, used to name new ReplicaSets.'),
  },
);
export type DeploymentStatus = t.TypeOf<typeof DeploymentStatus>;

export const Deployment = resource(
  'apps/v1',
  'Deployment',
  'Deployment declares pods and ReplicaSets and rolls out changes to them.',
  {},
  {
    spec: described(DeploymentSpec, 'The desired behaviour of the Deployment.'),
    status: described(DeploymentStatus, 'The most recently observed status; written by the Deployment controller.'),
  },
);
export type Deployment = t.TypeOf<typeof Deployment>;

export const RollingUpdateDaemonSet = struct(
  'RollingUpdateDaemonSet',
  {},
  {
    maxUnavailable: described(intOrString, 'Daemon pods that may be unavailable during the update, a number or a percentage. Defaults to 1.'),
    maxSurge: described(intOrString, 'Nodes that may run an updated pod beside the old one during the update, a number or a percentage. Defaults to 0.'),
  },
);

export const DaemonSetUpdateStrategy = struct(
  'DaemonSetUpdateStrategy',
  {},
  {
    type: described(enumOf('DaemonSetUpdateStrategyType', ['OnDelete', 'RollingUpdate']), 'RollingUpdate or OnDelete. Defaults to RollingUpdate.'),
    rollingUpdate: described(RollingUpdateDaemonSet, 'Parameters of a rolling update; only with type RollingUpdate.'),
  },
);
export type DaemonSetUpdateStrategy = t.TypeOf<typeof DaemonSetUpdateStrategy>;

export const DaemonSetSpec = struct(
  'DaemonSetSpec',
  {
    selector: described(LabelSelector, 'Selects the pods of the daemon set; must match the template labels. Immutable.'),
    template: described(PodTemplateSpec, 'The pod run on every node that matches its node selector (every node without one).'),
  },
  {
    updateStrategy: described(DaemonSetUpdateStrategy, 'How existing daemon pods are replaced by new ones.'),
    minReadySeconds: described(int32, 'Seconds a new pod must be ready without crashing to count as available.'),
    revisionHistoryLimit: described(int32, 'Old revisions kept for rollback. Defaults to 10.'),
  },
);
export type DaemonSetSpec = t.TypeOf<typeof DaemonSetSpec>;

export const DaemonSetCondition = conditionOf('DaemonSetCondition');

export const DaemonSetStatus = struct(
  'DaemonSetStatus',
  {
    currentNumberScheduled: described(int32, 'Nodes running at least one daemon pod that should run it.'),
    numberMisscheduled: described(int32, 'Nodes running the daemon pod that should not run it.'),
    desiredNumberScheduled: described(int32, 'Nodes that should run the daemon pod.'),
    numberReady: described(int32, 'Nodes that should run the daemon pod and run it ready.'),
  },
  {
    observedGeneration: described(int64, 'The generation this status reflects.'),
    updatedNumberScheduled: described(int32, 'Nodes running the updated daemon pod.'),
    numberAvailable: described(int32, 'Nodes running the daemon pod available (ready for at least minReadySeconds).'),
    numberUnavailable: described(int32, 'Nodes that should run the daemon pod and have none available.'),
    collisionCount: described(int32, 'Hash collisions of the template, used to name new ControllerRevisions.'),
    conditions: described(mergeList(DaemonSetCondition, 'type'), 'The latest observations of the state.'),
  },
);
export type DaemonSetStatus = t.TypeOf<typeof DaemonSetStatus>;

export const DaemonSet = resource(
  'apps/v1',
  'DaemonSet',
  'DaemonSet runs a copy of a pod on every node (or every node its selector picks).',
  {},
  {
    spec: described(DaemonSetSpec, 'The desired behaviour of the DaemonSet.'),
    status: described(DaemonSetStatus, 'The most recently observed status; written by the DaemonSet controller.'),
  },
);
export type DaemonSet = t.TypeOf<typeof DaemonSet>;
