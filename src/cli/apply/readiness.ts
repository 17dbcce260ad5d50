/**
 * When an applied object is ready, decided from what the server shows (pure: the object and the
 * related objects the waiter's informers hold):
 *
 *   Deployment   rollout complete, as `kubectl rollout status`: generation observed, every
 *                replica updated, no old replicas left, every updated replica available;
 *                Progressing=False ProgressDeadlineExceeded fails
 *   ReplicaSet   generation observed, available replicas = replicas
 *   Job          Complete (or Suspended); Failed fails
 *   Pod          Ready, or Succeeded; Failed fails
 *   Service      a cluster IP assigned; with a selector, at least one ready endpoint address
 *   CRD          Established
 *   others       applied = ready (ConfigMap, Secret, CronJob, Namespace, ...)
 *
 * Beside the state, it reports what holds the pods of the current rollout back (unschedulable,
 * image pulls, crashes) for the waiter to show and to judge over time.
 */
import type { Obj } from '../../api/object';
import type { LabelSelector } from '../../api/selector';
import type { Deployment, Endpoints, Job, Pod, ReplicaSet, Service } from '../../api/types';
import { isPodReady, PodIssue, podIssues } from './pod-issues';

export type ReadyState = 'waiting' | 'ready' | 'failed';

export interface Assessment {
  state: ReadyState;
  /** One line: `rollout 1/3 updated, 0/3 available`, `ready`, `failed: BackoffLimitExceeded ...`. */
  summary: string;
  progress?: { done: number; total: number };
  /** What holds the current pods back, one entry per pod and cause. */
  issues: PodIssue[];
  /** The pods of the current rollout that are not ready yet (the ones `issues` speak of). */
  pendingPods: number;
}

/** What the waiter's caches know beside the object itself. */
export interface World {
  /** Pods that name `uid` in their ownerReferences. */
  podsOwnedBy(uid: string): Pod[];
  /** Pods in `namespace` whose labels `selector` matches (a `spec.selector` LabelSelector). */
  podsSelected(namespace: string, selector: LabelSelector | undefined): Pod[];
  replicaSetsOwnedBy(uid: string): ReplicaSet[];
  endpoints(namespace: string, name: string): Endpoints | undefined;
}

const revisionAnnotation = 'deployment.kubernetes.io/revision';

function pending(pods: Pod[]): { issues: PodIssue[]; pendingPods: number } {
  const live = pods.filter((p) => !p.metadata.deletionTimestamp && !isPodReady(p) && p.status?.phase !== 'Succeeded');
  return { issues: live.flatMap(podIssues), pendingPods: live.length };
}

function condition<C extends { type: string; status: string; reason?: string; message?: string }>(conditions: readonly C[] | undefined, type: string): C | undefined {
  return conditions?.find((c) => c.type === type);
}

const notObserved = (obj: Obj, observed: number | undefined): boolean => (observed ?? 0) < (obj.metadata.generation ?? 0);

/** The pods of a Deployment's current rollout: those of the ReplicaSet at its revision, else all it selects. */
function currentPods(d: Deployment, world: World): Pod[] {
  const revision = d.metadata.annotations?.[revisionAnnotation];
  const sets = d.metadata.uid ? world.replicaSetsOwnedBy(d.metadata.uid) : [];
  const current = revision ? sets.find((rs) => rs.metadata.annotations?.[revisionAnnotation] === revision) : undefined;
  if (current?.metadata.uid) return world.podsOwnedBy(current.metadata.uid);
  return world.podsSelected(d.metadata.namespace ?? '', d.spec?.selector);
}

function deployment(d: Deployment, world: World): Assessment {
  const replicas = d.spec?.replicas ?? 1;
  const status = d.status ?? {};
  const held = pending(currentPods(d, world));
  if (notObserved(d, status.observedGeneration)) return { state: 'waiting', summary: 'waiting for the deployment controller to see this version', ...held };
  const progressing = condition(status.conditions, 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return { state: 'failed', summary: `rollout exceeded its progress deadline (${d.spec?.progressDeadlineSeconds ?? 600}s)${progressing.message ? `: ${progressing.message}` : ''}`, ...held };
  }
  const updated = status.updatedReplicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const total = status.replicas ?? 0;
  const progress = { done: Math.min(updated, available), total: replicas };
  if (updated < replicas) return { state: 'waiting', summary: `rollout ${updated}/${replicas} updated, ${available}/${replicas} available`, progress, ...held };
  if (total > updated) return { state: 'waiting', summary: `rollout ${updated}/${replicas} updated, ${total - updated} old replicas pending termination`, progress, ...held };
  if (available < updated) return { state: 'waiting', summary: `rollout ${updated}/${replicas} updated, ${available}/${replicas} available`, progress, ...held };
  return { state: 'ready', summary: `rolled out, ${available}/${replicas} available`, progress, issues: [], pendingPods: 0 };
}

function replicaSet(rs: ReplicaSet, world: World): Assessment {
  const replicas = rs.spec?.replicas ?? 1;
  const status = rs.status ?? { replicas: 0 };
  const held = pending(rs.metadata.uid ? world.podsOwnedBy(rs.metadata.uid) : []);
  if (notObserved(rs, status.observedGeneration)) return { state: 'waiting', summary: 'waiting for the replicaset controller to see this version', ...held };
  const available = status.availableReplicas ?? 0;
  const progress = { done: Math.min(available, replicas), total: replicas };
  if (available < replicas || (status.replicas ?? 0) !== replicas) return { state: 'waiting', summary: `${available}/${replicas} available`, progress, ...held };
  return { state: 'ready', summary: `${available}/${replicas} available`, progress, issues: [], pendingPods: 0 };
}

function job(j: Job, world: World): Assessment {
  const status = j.status ?? {};
  const completions = j.spec?.completions ?? (j.spec?.parallelism === undefined ? 1 : undefined);
  const succeeded = status.succeeded ?? 0;
  const counts = `${succeeded}${completions !== undefined ? `/${completions}` : ''} succeeded, ${status.active ?? 0} active, ${status.failed ?? 0} failed`;
  const failed = condition(status.conditions, 'Failed');
  if (failed?.status === 'True') return { state: 'failed', summary: [failed.reason, failed.message].filter(Boolean).join(': ') || counts, issues: [], pendingPods: 0 };
  if (condition(status.conditions, 'Complete')?.status === 'True') return { state: 'ready', summary: `complete, ${counts}`, issues: [], pendingPods: 0 };
  if (condition(status.conditions, 'Suspended')?.status === 'True' || j.spec?.suspend) return { state: 'ready', summary: 'suspended', issues: [], pendingPods: 0 };
  const held = pending(j.metadata.uid ? world.podsOwnedBy(j.metadata.uid) : []);
  const progress = completions !== undefined ? { done: Math.min(succeeded, completions), total: completions } : undefined;
  return { state: 'waiting', summary: counts, progress, ...held };
}

function pod(p: Pod): Assessment {
  const phase = p.status?.phase;
  if (phase === 'Succeeded') return { state: 'ready', summary: 'completed', issues: [], pendingPods: 0 };
  if (phase === 'Failed') return { state: 'failed', summary: [p.status?.reason ?? 'Failed', p.status?.message].filter(Boolean).join(': '), issues: podIssues(p), pendingPods: 0 };
  if (isPodReady(p)) return { state: 'ready', summary: `ready on ${p.spec?.nodeName ?? 'its node'}`, issues: [], pendingPods: 0 };
  const containers = p.status?.containerStatuses ?? [];
  const ready = containers.filter((c) => c.ready).length;
  const where = p.spec?.nodeName ? `on ${p.spec.nodeName}, ` : 'not scheduled yet, ';
  const summary = `${phase ?? 'Pending'}, ${where}${ready}/${p.spec?.containers?.length ?? containers.length} containers ready`;
  return { state: 'waiting', summary, issues: podIssues(p), pendingPods: 1 };
}

function service(s: Service, world: World): Assessment {
  const spec = s.spec ?? {};
  if (spec.type === 'ExternalName') return { state: 'ready', summary: `external name ${spec.externalName ?? ''}`, issues: [], pendingPods: 0 };
  if (!spec.clusterIP) return { state: 'waiting', summary: 'waiting for a cluster IP', issues: [], pendingPods: 0 };
  // Where a user reaches it: the node ports too, once allocated.
  const nodePorts = (spec.ports ?? []).map((p) => p.nodePort).filter((p): p is number => p !== undefined);
  const reach = nodePorts.length === 0 ? '' : `, node port${nodePorts.length === 1 ? '' : 's'} ${nodePorts.join(', ')}`;
  const ip = `${spec.clusterIP === 'None' ? 'headless' : `cluster IP ${spec.clusterIP}`}${reach}`;
  if (!spec.selector || Object.keys(spec.selector).length === 0) return { state: 'ready', summary: ip, issues: [], pendingPods: 0 };
  const endpoints = world.endpoints(s.metadata.namespace ?? '', s.metadata.name ?? '');
  const ready = (endpoints?.subsets ?? []).reduce((n, subset) => n + (subset.addresses?.length ?? 0), 0);
  if (ready === 0) return { state: 'waiting', summary: `${ip}, no ready endpoints yet`, issues: [], pendingPods: 0 };
  return { state: 'ready', summary: `${ip}, ${ready} ready endpoint${ready === 1 ? '' : 's'}`, issues: [], pendingPods: 0 };
}

function customResourceDefinition(crd: Obj): Assessment {
  const conditions = (crd.status as { conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> } | undefined)?.conditions;
  if (condition(conditions, 'Established')?.status === 'True') return { state: 'ready', summary: 'established', issues: [], pendingPods: 0 };
  return { state: 'waiting', summary: 'waiting to be established', issues: [], pendingPods: 0 };
}

function namespace(ns: Obj): Assessment {
  const phase = (ns.status as { phase?: string } | undefined)?.phase;
  if (phase === 'Terminating') return { state: 'waiting', summary: 'terminating', issues: [], pendingPods: 0 };
  return { state: 'ready', summary: 'active', issues: [], pendingPods: 0 };
}

/** The kinds whose readiness is more than being applied. */
export function hasReadiness(group: string, kind: string): boolean {
  return readinessOf[`${group}/${kind}`] !== undefined;
}

const readinessOf: Record<string, (obj: Obj, world: World) => Assessment> = {
  'apps/Deployment': (o, w) => deployment(o as Deployment, w),
  'apps/ReplicaSet': (o, w) => replicaSet(o as ReplicaSet, w),
  'batch/Job': (o, w) => job(o as Job, w),
  '/Pod': (o) => pod(o as Pod),
  '/Service': (o, w) => service(o as Service, w),
  '/Namespace': (o) => namespace(o),
  'apiextensions.k8s.io/CustomResourceDefinition': (o) => customResourceDefinition(o),
};

export function assess(group: string, kind: string, obj: Obj, world: World): Assessment {
  const readiness = readinessOf[`${group}/${kind}`];
  return readiness ? readiness(obj, world) : { state: 'ready', summary: 'applied', issues: [], pendingPods: 0 };
}
