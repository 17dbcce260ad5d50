/** policy/v1: PodDisruptionBudget, and Eviction, the body of POST pods/<name>/eviction. */
import * as t from 'io-ts';
import { described, mapOf, mergeList, struct } from '../codecs';
import { int32, int64, intOrString, time } from '../scalars';
import { Condition, DeleteOptions, LabelSelector, resource } from './meta';

export const Eviction = resource(
  'policy/v1',
  'Eviction',
  'Eviction evicts a pod from its node, subject to disruption budgets.',
  {},
  { deleteOptions: described(DeleteOptions, 'DeleteOptions may be provided.') },
);
export type Eviction = t.TypeOf<typeof Eviction>;

/** What evictions do to running pods that are not healthy (upstream's UnhealthyPodEvictionPolicyType). */
export const UNHEALTHY_POD_EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'] as const;

export const PodDisruptionBudgetSpec = struct(
  'PodDisruptionBudgetSpec',
  {},
  {
    minAvailable: described(intOrString, 'Pods that must still be available after an eviction, a number or a percentage; excludes maxUnavailable.'),
    selector: described(LabelSelector, 'The pods the budget covers; an empty selector covers every pod of the namespace.'),
    maxUnavailable: described(intOrString, 'Pods that may be unavailable after an eviction, a number or a percentage; excludes minAvailable.'),
    unhealthyPodEvictionPolicy: described(t.string, 'When running but not ready pods may be evicted: IfHealthyBudget or AlwaysAllow.'),
  },
);
export type PodDisruptionBudgetSpec = t.TypeOf<typeof PodDisruptionBudgetSpec>;

export const PodDisruptionBudgetStatus = struct(
  'PodDisruptionBudgetStatus',
  {},
  {
    observedGeneration: described(int64, 'The generation this status was computed for.'),
    disruptedPods: described(mapOf(time), 'Pods whose eviction was admitted but not yet seen by the controller, with when.'),
    disruptionsAllowed: described(int32, 'How many pod disruptions are allowed now.'),
    currentHealthy: described(int32, 'Current number of healthy pods.'),
    desiredHealthy: described(int32, 'Least number of healthy pods desired.'),
    expectedPods: described(int32, 'Number of pods the budget counts.'),
    conditions: described(mergeList(Condition, 'type'), 'The latest observations of the budget, such as DisruptionAllowed.'),
  },
);
export type PodDisruptionBudgetStatus = t.TypeOf<typeof PodDisruptionBudgetStatus>;

export const PodDisruptionBudget = resource(
  'policy/v1',
  'PodDisruptionBudget',
  'PodDisruptionBudget bounds how many pods of a collection may be disrupted at once.',
  {},
  {
    spec: described(PodDisruptionBudgetSpec, 'The desired bounds.'),
    status: described(PodDisruptionBudgetStatus, 'The most recently observed status.'),
  },
);
export type PodDisruptionBudget = t.TypeOf<typeof PodDisruptionBudget>;
