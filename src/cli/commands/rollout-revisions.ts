/**
 * A Deployment's ReplicaSets as kubectl reads them for `rollout history`, `rollout undo` and
 * `describe` (kubectl `pkg/util/deployment`): the ReplicaSets its selector matches that it
 * controls; the new one is the oldest whose pod template equals the Deployment's once the
 * `pod-template-hash` label is set aside; each has its revision in an annotation.
 */
import type { Client } from '../../client';
import { kinds } from '../../client';
import type { Deployment, PodTemplateSpec, ReplicaSet } from '../../api/types';
import { deepEqual } from '../../util/json';
import { CommandError } from '../exit';
import { formatLabelSelector } from '../output/describe/writer';

export const revisionAnnotation = 'deployment.kubernetes.io/revision';
export const changeCauseAnnotation = 'kubernetes.io/change-cause';
export const hashLabel = 'pod-template-hash';

/** Annotations the Deployment keeps for itself; a rollback leaves them as they are (kubectl's skip list). */
export const ownAnnotations = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  revisionAnnotation,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

/** Empty maps and lists weigh as much as absent ones (apimachinery's semantic equality). */
function pruned(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map(pruned);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const p = pruned(v);
    if (p !== undefined) out[k] = p;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/** The template without the pod-template-hash label. */
export function withoutHash(template: PodTemplateSpec | undefined): PodTemplateSpec {
  const labels = { ...(template?.metadata?.labels ?? {}) };
  delete labels[hashLabel];
  return { ...template, metadata: { ...template?.metadata, labels } };
}

export function sameTemplate(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return deepEqual(pruned(withoutHash(a)), pruned(withoutHash(b)));
}

/** The revision number of a ReplicaSet (or Deployment); 0 when unset. */
export function revisionOf(obj: { metadata: { name?: string; annotations?: Record<string, string> } }): number {
  const text = obj.metadata.annotations?.[revisionAnnotation];
  if (text === undefined) return 0;
  if (!/^\d+$/.test(text)) throw new CommandError(`${obj.metadata.name}: the annotation ${revisionAnnotation} is "${text}", not a number`);
  return Number(text);
}

export interface DeploymentReplicaSets {
  /** The one running the current template, if any. */
  current?: ReplicaSet;
  /** The others, oldest first (as kubectl lists them). */
  old: ReplicaSet[];
  all: ReplicaSet[];
}

const created = (rs: ReplicaSet): number => Date.parse(rs.metadata.creationTimestamp ?? '') || 0;

export async function replicaSetsOf(client: Client, deployment: Deployment): Promise<DeploymentReplicaSets> {
  const selector = formatLabelSelector(deployment.spec?.selector);
  const list = await client
    .resource(kinds.ReplicaSet, deployment.metadata.namespace)
    .listAll({ labelSelector: selector === '<none>' ? undefined : selector });
  const all = list.items.filter((rs) => rs.metadata.ownerReferences?.some((o) => o.controller && o.uid === deployment.metadata.uid));
  const byAge = [...all].sort((a, b) => created(a) - created(b) || (a.metadata.name! < b.metadata.name! ? -1 : 1));
  const current = byAge.find((rs) => sameTemplate(rs.spec?.template, deployment.spec?.template));
  return { current, old: byAge.filter((rs) => rs !== current), all };
}
