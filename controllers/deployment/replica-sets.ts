/**
 * A Deployment's ReplicaSets: which is new (runs the current template) and which are old, their
 * revisions, the annotations the Deployment copies onto them, their sizes, and the orders upstream
 * sorts them in (pkg/controller/deployment/util/deployment_util.go, controller_utils.go).
 */
import type { Deployment, ReplicaSet } from '../../src/api/types';
import { parseTime } from '../replicaset';
import { equalIgnoreHash } from './template';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
export const ROLLBACK_TO_ANNOTATION = 'deprecated.deployment.rollback.to';
/** Longest revision-history annotation kept, in characters (upstream's maxRevHistoryLengthInChars). */
const MAX_REVISION_HISTORY_LENGTH = 2000;

/** Annotations a Deployment does not copy onto its ReplicaSets; `kubectl rollout undo` keeps them on the Deployment. */
export const annotationsNotCopied = new Set([REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, LAST_APPLIED_ANNOTATION, ROLLBACK_TO_ANNOTATION]);

export function replicasOf(obj: { spec?: { replicas?: number } }): number {
  return obj.spec?.replicas ?? 1;
}

/** The revision annotation as a number; 0 when absent, undefined when not an integer. */
export function revisionOf(rs: ReplicaSet | Deployment): number | undefined {
  const text = rs.metadata.annotations?.[REVISION_ANNOTATION];
  if (text === undefined) return 0;
  return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
}

/** The highest revision; ReplicaSets whose revision is not a number are skipped, as upstream does. */
export function maxRevision(sets: readonly ReplicaSet[]): number {
  return Math.max(0, ...sets.map((rs) => revisionOf(rs) ?? 0));
}

/** Oldest first; equal times by name (upstream ReplicaSetsByCreationTimestamp). */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const ta = parseTime(a.metadata.creationTimestamp) ?? 0;
  const tb = parseTime(b.metadata.creationTimestamp) ?? 0;
  if (ta !== tb) return ta - tb;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : (a.metadata.name ?? '') > (b.metadata.name ?? '') ? 1 : 0;
}

/** Larger first; equal sizes newer first (upstream ReplicaSetsBySizeNewer: who scales up first). */
export function bySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  return replicasOf(b) - replicasOf(a) || byCreation(b, a);
}

/** Larger first; equal sizes older first (upstream ReplicaSetsBySizeOlder: who scales down first). */
export function bySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  return replicasOf(b) - replicasOf(a) || byCreation(a, b);
}

/** Lowest revision first; equal revisions by creation (upstream ReplicaSetsByRevision). */
export function byRevision(a: ReplicaSet, b: ReplicaSet): number {
  return (revisionOf(a) ?? 0) - (revisionOf(b) ?? 0) || byCreation(a, b);
}

/** The ReplicaSet running the Deployment's template: the oldest if several do. */
export function findNewReplicaSet(d: Deployment, sets: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...sets].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

export function oldReplicaSets(sets: readonly ReplicaSet[], newRS: ReplicaSet | undefined): ReplicaSet[] {
  return sets.filter((rs) => rs.metadata.uid !== newRS?.metadata.uid);
}

/** Those with replicas wanted (upstream FilterActiveReplicaSets). */
export function activeReplicaSets(sets: ReadonlyArray<ReplicaSet | undefined>): ReplicaSet[] {
  return sets.filter((rs): rs is ReplicaSet => rs !== undefined && replicasOf(rs) > 0);
}

type Present = ReadonlyArray<ReplicaSet | undefined>;
const sum = (sets: Present, value: (rs: ReplicaSet) => number) => sets.reduce((total, rs) => total + (rs ? value(rs) : 0), 0);

/** Replicas wanted (spec) across the sets. */
export const specReplicas = (sets: Present) => sum(sets, replicasOf);
/** Pods the sets report having (status). */
export const actualReplicas = (sets: Present) => sum(sets, (rs) => rs.status?.replicas ?? 0);
export const readyReplicas = (sets: Present) => sum(sets, (rs) => rs.status?.readyReplicas ?? 0);
export const availableReplicas = (sets: Present) => sum(sets, (rs) => rs.status?.availableReplicas ?? 0);

/**
 * Copies the Deployment's annotations (but the ones it keeps to itself) onto the new ReplicaSet
 * and raises its revision to `revision` when lower; a ReplicaSet that had a revision keeps it in
 * revision-history (a rollback). A ReplicaSet about to be created also gets the replica
 * annotations. Changes `rs` (a copy) in place; true when anything changed.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, revision: number, exists: boolean, maxSurge: number): boolean {
  const annotations = { ...rs.metadata.annotations };
  let changed = false;
  for (const [key, value] of Object.entries(d.metadata.annotations ?? {})) {
    if (annotationsNotCopied.has(key) || annotations[key] === value) continue;
    annotations[key] = value;
    changed = true;
  }
  const oldText = annotations[REVISION_ANNOTATION];
  const old = oldText === undefined ? 0 : /^[+-]?\d+$/.test(oldText) ? Number(oldText) : undefined;
  // A revision that is not a number is left alone, as upstream leaves it.
  if (old !== undefined && old < revision) {
    annotations[REVISION_ANNOTATION] = String(revision);
    changed = true;
    if (oldText !== undefined) annotations[REVISION_HISTORY_ANNOTATION] = appendedHistory(annotations[REVISION_HISTORY_ANNOTATION], oldText);
  }
  rs.metadata.annotations = annotations;
  if (!exists && setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge)) changed = true;
  return changed;
}

/** `1,3` plus `5` → `1,3,5`, dropping the oldest entries past the length limit. */
function appendedHistory(history: string | undefined, revision: string): string {
  if (!history) return revision;
  const entries = history.split(',');
  let length = history.length + revision.length + 1;
  let start = 0;
  while (length > MAX_REVISION_HISTORY_LENGTH && start < entries.length) length -= entries[start++].length + 1;
  return length <= MAX_REVISION_HISTORY_LENGTH ? [...entries.slice(start), revision].join(',') : history;
}

/** Records the Deployment's size and its size with surge on the ReplicaSet; true when they changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  if (!replicasAnnotationsNeedUpdate(rs, desired, max)) return false;
  rs.metadata.annotations = { ...rs.metadata.annotations, [DESIRED_REPLICAS_ANNOTATION]: String(desired), [MAX_REPLICAS_ANNOTATION]: String(max) };
  return true;
}

export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const annotations = rs.metadata.annotations ?? {};
  return annotations[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || annotations[MAX_REPLICAS_ANNOTATION] !== String(max);
}

/** An integer annotation of the ReplicaSet, undefined when absent or not a 32-bit integer. */
export function intAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const text = rs.metadata.annotations?.[key];
  if (text === undefined || !/^[+-]?\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= -(2 ** 31) && value < 2 ** 31 ? value : undefined;
}
