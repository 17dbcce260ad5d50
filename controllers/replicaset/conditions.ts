/**
 * Status conditions as upstream's controllers keep them (ReplicaSet and Deployment): one per
 * type, replaced only when its status or reason changes, keeping lastTransitionTime while the
 * status stays the same.
 */

export interface ConditionLike {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
}

export function findCondition<C extends ConditionLike>(conditions: readonly C[] | undefined, type: string): C | undefined {
  return conditions?.find((c) => c.type === type);
}

/**
 * The list with `condition` set: unchanged when one of its type already has the same status and
 * reason; otherwise the old one is dropped and the new one appended, keeping the old
 * lastTransitionTime if the status did not change (upstream SetDeploymentCondition).
 */
export function withCondition<C extends ConditionLike>(conditions: readonly C[] | undefined, condition: C): C[] {
  const list = [...(conditions ?? [])];
  const current = findCondition(list, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return list;
  const next = current && current.status === condition.status ? { ...condition, lastTransitionTime: current.lastTransitionTime } : condition;
  return [...list.filter((c) => c.type !== condition.type), next];
}

export function withoutCondition<C extends ConditionLike>(conditions: readonly C[] | undefined, type: string): C[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}

/** A meta/v1 Time: RFC 3339 in whole seconds, as the API server writes times. */
export function timestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Milliseconds since the epoch of a meta/v1 Time; undefined when absent or unreadable. */
export function parseTime(value: string | undefined | null): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
