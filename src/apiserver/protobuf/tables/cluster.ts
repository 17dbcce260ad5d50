/**
 * The small groups: `policy/v1` (Eviction, which `kubectl drain` posts, and PodDisruptionBudget),
 * `coordination.k8s.io/v1` (Lease) and `autoscaling/v1` (Scale).
 */
import type { PackageTables } from '../schema';

export const policy: PackageTables = {
  Eviction: ['meta.ObjectMeta metadata = 1', 'meta.DeleteOptions deleteOptions = 2'],
  PodDisruptionBudget: [
    'meta.ObjectMeta metadata = 1',
    'PodDisruptionBudgetSpec spec = 2',
    'PodDisruptionBudgetStatus status = 3',
  ],
  PodDisruptionBudgetSpec: [
    'IntOrString minAvailable = 1',
    'meta.LabelSelector selector = 2',
    'IntOrString maxUnavailable = 3',
    'optional string unhealthyPodEvictionPolicy = 4',
  ],
  PodDisruptionBudgetStatus: [
    'int64 observedGeneration = 1',
    'map<string, Time> disruptedPods = 2',
    'optional int32 disruptionsAllowed = 3',
    'optional int32 currentHealthy = 4',
    'optional int32 desiredHealthy = 5',
    'optional int32 expectedPods = 6',
    'repeated meta.Condition conditions = 7',
  ],
};

export const coordination: PackageTables = {
  Lease: ['meta.ObjectMeta metadata = 1', 'LeaseSpec spec = 2'],
  LeaseSpec: [
    'optional string holderIdentity = 1',
    'optional int32 leaseDurationSeconds = 2',
    'MicroTime acquireTime = 3',
    'MicroTime renewTime = 4',
    'optional int32 leaseTransitions = 5',
    'optional string strategy = 6',
    'optional string preferredHolder = 7',
  ],
};

export const autoscaling: PackageTables = {
  Scale: ['meta.ObjectMeta metadata = 1', 'ScaleSpec spec = 2', 'ScaleStatus status = 3'],
  ScaleSpec: ['int32 replicas = 1'],
  ScaleStatus: ['optional int32 replicas = 1', 'string selector = 2'],
};
