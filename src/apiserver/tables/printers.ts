/**
 * Built-in kinds print as upstream's printers do (kubernetes pkg/printers/internalversion):
 * computed cells such as a pod's READY 1/2 and STATUS CrashLoopBackOff. Kinds without an entry
 * here use their declared printer columns.
 */
import type { ResourceType } from '../registry';
import {
  configMapPrinter,
  createdAtPrinter,
  endpointsPrinter,
  eventPrinter,
  leasePrinter,
  namespacePrinter,
  nodePrinter,
  secretPrinter,
  servicePrinter,
} from './cluster-printers';
import { endpointSlicePrinter, ingressPrinter } from './network-printers';
import { podPrinter } from './pod-printer';
import { podDisruptionBudgetPrinter, resourceQuotaPrinter, serviceAccountPrinter } from './policy-printers';
import { roleBindingPrinter } from './rbac-printers';
import { persistentVolumeClaimPrinter, persistentVolumePrinter } from './storage-printers';
import type { Printer } from './table';
import {
  cronJobPrinter,
  daemonSetPrinter,
  deploymentPrinter,
  jobPrinter,
  replicaSetPrinter,
  replicationControllerPrinter,
  statefulSetPrinter,
} from './workload-printers';

/** By `group/Kind` (core kinds have an empty group: `/Pod`). */
const printers: Record<string, Printer> = {
  '/Pod': podPrinter,
  '/Service': servicePrinter,
  '/Endpoints': endpointsPrinter,
  '/Node': nodePrinter,
  '/Namespace': namespacePrinter,
  '/Event': eventPrinter,
  '/ConfigMap': configMapPrinter,
  '/Secret': secretPrinter,
  '/ReplicationController': replicationControllerPrinter,
  '/PersistentVolumeClaim': persistentVolumeClaimPrinter,
  '/PersistentVolume': persistentVolumePrinter,
  '/ServiceAccount': serviceAccountPrinter,
  '/ResourceQuota': resourceQuotaPrinter,
  '/LimitRange': createdAtPrinter,
  'apps/Deployment': deploymentPrinter,
  'apps/ReplicaSet': replicaSetPrinter,
  'apps/DaemonSet': daemonSetPrinter,
  'apps/StatefulSet': statefulSetPrinter,
  'batch/Job': jobPrinter,
  'batch/CronJob': cronJobPrinter,
  'networking.k8s.io/Ingress': ingressPrinter,
  'policy/PodDisruptionBudget': podDisruptionBudgetPrinter,
  'discovery.k8s.io/EndpointSlice': endpointSlicePrinter,
  'coordination.k8s.io/Lease': leasePrinter,
  'apiextensions.k8s.io/CustomResourceDefinition': createdAtPrinter,
  'rbac.authorization.k8s.io/Role': createdAtPrinter,
  'rbac.authorization.k8s.io/ClusterRole': createdAtPrinter,
  'rbac.authorization.k8s.io/RoleBinding': roleBindingPrinter,
  'rbac.authorization.k8s.io/ClusterRoleBinding': roleBindingPrinter,
};

export function builtinPrinter(type: ResourceType): Printer | undefined {
  return type.decl.builtin ? printers[`${type.group}/${type.kind}`] : undefined;
}
