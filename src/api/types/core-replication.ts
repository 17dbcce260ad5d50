/** core/v1 ReplicationController: the ReplicaSet's predecessor, selecting pods by an equality map. */
import * as t from 'io-ts';
import { atomicMap, described, mergeList, struct } from '../codecs';
import { int32, int64, stringMap, time } from '../scalars';
import { ConditionStatus } from './core-common';
import { PodTemplateSpec } from './core-pod';
import { resource } from './meta';

export const ReplicationControllerSpec = struct(
  'ReplicationControllerSpec',
  {},
  {
    replicas: described(int32, 'Number of desired pods. Defaults to 1.'),
    minReadySeconds: described(int32, 'Seconds a new pod must be ready without crashing to count as available.'),
    selector: described(
      atomicMap(stringMap),
      'The labels of the pods the controller counts; must match the template labels. Defaults to the template labels.',
    ),
    template: described(PodTemplateSpec, 'The pods created when too few exist.'),
  },
);
export type ReplicationControllerSpec = t.TypeOf<typeof ReplicationControllerSpec>;

export const ReplicationControllerCondition = struct(
  'ReplicationControllerCondition',
  { type: described(t.string, 'Type of condition, e.g. ReplicaFailure.'), status: described(ConditionStatus, 'True, False or Unknown.') },
  {
    lastTransitionTime: described(time, 'When the status last changed.'),
    reason: described(t.string, 'The reason for the last transition.'),
    message: described(t.string, 'A human readable message about the last transition.'),
  },
);

export const ReplicationControllerStatus = struct(
  'ReplicationControllerStatus',
  { replicas: described(int32, 'The most recently observed number of pods.') },
  {
    fullyLabeledReplicas: described(int32, 'Pods whose labels match the template labels.'),
    readyReplicas: described(int32, 'Pods that are ready.'),
    availableReplicas: described(int32, 'Pods that have been ready for at least minReadySeconds.'),
    observedGeneration: described(int64, 'The generation this status reflects.'),
    conditions: described(mergeList(ReplicationControllerCondition, 'type'), 'The latest observations of the state.'),
  },
);
export type ReplicationControllerStatus = t.TypeOf<typeof ReplicationControllerStatus>;

export const ReplicationController = resource(
  'v1',
  'ReplicationController',
  'ReplicationController keeps a number of identical pods running.',
  {},
  {
    spec: described(ReplicationControllerSpec, 'The desired behaviour of the ReplicationController.'),
    status: described(ReplicationControllerStatus, 'The most recently observed status; written by the replication controller.'),
  },
);
export type ReplicationController = t.TypeOf<typeof ReplicationController>;
