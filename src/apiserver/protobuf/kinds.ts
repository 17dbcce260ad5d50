/**
 * Which message table decodes which kind. These are the kinds kubectl 1.32's typed clients send
 * as protobuf (`create namespace|configmap|secret|deployment|job|cronjob|service|serviceaccount|
 * quota|pdb|ingress|role|clusterrole|rolebinding|clusterrolebinding`, `drain`'s evictions, `auth can-i|whoami`'s reviews) plus the few more berth's
 * own clients may send.
 */
import { compileTables, MessageSpec } from './schema';
import { apps, batch } from './tables/workloads';
import { autoscaling, coordination, policy } from './tables/cluster';
import { coreObjects } from './tables/core-objects';
import { corePodSpec } from './tables/core-pod-spec';
import { meta } from './tables/meta';
import { networking } from './tables/networking';
import { rbac } from './tables/rbac';
import { authentication, authorization } from './tables/reviews';

export const messages: ReadonlyMap<string, MessageSpec> = compileTables({
  meta,
  core: { ...coreObjects, ...corePodSpec },
  apps,
  batch,
  policy,
  coordination,
  autoscaling,
  networking,
  rbac,
  authorization,
  authentication,
});

const messageByKind: Record<string, string> = {
  'v1/Namespace': 'core.Namespace',
  'v1/ConfigMap': 'core.ConfigMap',
  'v1/Secret': 'core.Secret',
  'v1/Service': 'core.Service',
  'v1/ServiceAccount': 'core.ServiceAccount',
  'v1/ResourceQuota': 'core.ResourceQuota',
  'v1/Pod': 'core.Pod',
  'apps/v1/Deployment': 'apps.Deployment',
  'apps/v1/ReplicaSet': 'apps.ReplicaSet',
  'batch/v1/Job': 'batch.Job',
  'batch/v1/CronJob': 'batch.CronJob',
  'policy/v1/Eviction': 'policy.Eviction',
  'policy/v1/PodDisruptionBudget': 'policy.PodDisruptionBudget',
  'coordination.k8s.io/v1/Lease': 'coordination.Lease',
  'autoscaling/v1/Scale': 'autoscaling.Scale',
  'networking.k8s.io/v1/Ingress': 'networking.Ingress',
  'rbac.authorization.k8s.io/v1/Role': 'rbac.Role',
  'rbac.authorization.k8s.io/v1/ClusterRole': 'rbac.ClusterRole',
  'rbac.authorization.k8s.io/v1/RoleBinding': 'rbac.RoleBinding',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': 'rbac.ClusterRoleBinding',
  'authorization.k8s.io/v1/SelfSubjectAccessReview': 'authorization.SelfSubjectAccessReview',
  'authorization.k8s.io/v1/SelfSubjectRulesReview': 'authorization.SelfSubjectRulesReview',
  'authorization.k8s.io/v1/SubjectAccessReview': 'authorization.SubjectAccessReview',
  'authorization.k8s.io/v1/LocalSubjectAccessReview': 'authorization.LocalSubjectAccessReview',
  'authentication.k8s.io/v1/SelfSubjectReview': 'authentication.SelfSubjectReview',
};

/** The kinds that can be decoded, as `apiVersion/Kind`; DeleteOptions goes with any apiVersion. */
export const decodableKinds: readonly string[] = [...Object.keys(messageByKind), '*/DeleteOptions'];

export function messageForKind(apiVersion: string, kind: string): MessageSpec | undefined {
  // Every group version registers DeleteOptions (metav1.AddToGroupVersion), so clients label it
  // with the version of the resource being deleted, or with meta.k8s.io/v1.
  if (kind === 'DeleteOptions') return messages.get('meta.DeleteOptions');
  const name = messageByKind[`${apiVersion}/${kind}`];
  return name === undefined ? undefined : messages.get(name);
}
