/** apps/v1 StatefulSet: pods with stable names, ordinals and storage. */
import * as t from 'io-ts';
import { atomicList, described, enumOf, mergeList, struct } from '../codecs';
import { int32, int64, intOrString } from '../scalars';
import { conditionOf } from './apps';
import { PodTemplateSpec } from './core-pod';
import { PersistentVolumeClaim } from './core-storage';
import { LabelSelector, resource } from './meta';

export const RollingUpdateStatefulSetStrategy = struct(
  'RollingUpdateStatefulSetStrategy',
  {},
  {
    partition: described(int32, 'Pods with an ordinal at or above this one are updated; those below keep the old template. Defaults to 0.'),
    maxUnavailable: described(intOrString, 'Pods that may be unavailable during the update, a number or a percentage; not 0. Defaults to 1.'),
  },
);

export const StatefulSetUpdateStrategy = struct(
  'StatefulSetUpdateStrategy',
  {},
  {
    type: described(enumOf('StatefulSetUpdateStrategyType', ['OnDelete', 'RollingUpdate']), 'RollingUpdate or OnDelete. Defaults to RollingUpdate.'),
    rollingUpdate: described(RollingUpdateStatefulSetStrategy, 'Parameters of a rolling update; only with type RollingUpdate.'),
  },
);
export type StatefulSetUpdateStrategy = t.TypeOf<typeof StatefulSetUpdateStrategy>;

export const StatefulSetPersistentVolumeClaimRetentionPolicy = struct(
  'StatefulSetPersistentVolumeClaimRetentionPolicy',
  {},
  {
    whenDeleted: described(t.string, 'Retain or Delete: what happens to the claims of the templates when the StatefulSet is deleted. Defaults to Retain.'),
    whenScaled: described(t.string, 'Retain or Delete: what happens to the claims of pods removed by a scale down. Defaults to Retain.'),
  },
);

export const StatefulSetSpec = struct(
  'StatefulSetSpec',
  {
    selector: described(LabelSelector, 'Selects the pods of the StatefulSet; must match the template labels. Immutable.'),
    template: described(PodTemplateSpec, 'The pods to run, each named <statefulset>-<ordinal>; restartPolicy must be Always.'),
  },
  {
    replicas: described(int32, 'Number of desired pods. Defaults to 1.'),
    volumeClaimTemplates: described(
      atomicList(PersistentVolumeClaim),
      'Claims made for each pod, named <claim>-<pod>; a container must mount each. A claim wins over a template volume of the same name.',
    ),
    serviceName: described(t.string, 'The headless Service that gives the pods their DNS names: <pod>.<serviceName>.<namespace>.svc.'),
    podManagementPolicy: described(
      enumOf('PodManagementPolicyType', ['OrderedReady', 'Parallel']),
      'OrderedReady (one pod at a time, in order) or Parallel. Defaults to OrderedReady.',
    ),
    updateStrategy: described(StatefulSetUpdateStrategy, 'How pods are replaced when the template changes.'),
    revisionHistoryLimit: described(int32, 'Old revisions kept for rollback. Defaults to 10.'),
    minReadySeconds: described(int32, 'Seconds a new pod must be ready without crashing to count as available.'),
    persistentVolumeClaimRetentionPolicy: described(
      StatefulSetPersistentVolumeClaimRetentionPolicy,
      'Whether the claims made from volumeClaimTemplates are deleted with the StatefulSet or on scale down.',
    ),
    ordinals: described(
      struct('StatefulSetOrdinals', {}, { start: described(int32, 'The ordinal of the first pod. Defaults to 0.') }),
      'How the pods are numbered.',
    ),
  },
);
export type StatefulSetSpec = t.TypeOf<typeof StatefulSetSpec>;

export const StatefulSetCondition = conditionOf('StatefulSetCondition');

export const StatefulSetStatus = struct(
  'StatefulSetStatus',
  { replicas: described(int32, 'Pods created by the StatefulSet controller.') },
  {
    observedGeneration: described(int64, 'The generation this status reflects.'),
    readyReplicas: described(int32, 'Pods that are ready.'),
    currentReplicas: described(int32, 'Pods created from the currentRevision.'),
    updatedReplicas: described(int32, 'Pods created from the updateRevision.'),
    currentRevision: described(t.string, 'The revision the pods [0, currentReplicas) run.'),
    updateRevision: described(t.string, 'The revision the pods [replicas-updatedReplicas, replicas) run.'),
    collisionCount: described(int32, 'Hash collisions of the template, used to name new ControllerRevisions.'),
    conditions: described(mergeList(StatefulSetCondition, 'type'), 'The latest observations of the state.'),
    availableReplicas: described(int32, 'Pods that have been ready for at least minReadySeconds.'),
  },
);
export type StatefulSetStatus = t.TypeOf<typeof StatefulSetStatus>;

export const StatefulSet = resource(
  'apps/v1',
  'StatefulSet',
  'StatefulSet runs pods with stable identities: a name, a DNS name and storage that stay with the ordinal.',
  {},
  {
    spec: described(StatefulSetSpec, 'The desired identities of the pods.'),
    status: described(StatefulSetStatus, 'The most recently observed status; written by the StatefulSet controller.'),
  },
);
export type StatefulSet = t.TypeOf<typeof StatefulSet>;
