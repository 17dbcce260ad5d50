/**
 * Comparing pod templates as upstream's apiequality.Semantic.DeepEqual does for the JSON form:
 * null, empty lists and empty objects are the same as absent, so `creationTimestamp: null` or
 * `resources: {}` in one template and not in the other is no difference.
 */
import type { PodTemplateSpec } from '../../src/api/types';
import { deepEqual } from '../../src/util/json';

/** The label that ties a ReplicaSet and its pods to one template of its Deployment. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** `value` without nulls, empty lists and empty objects, at any depth; undefined when nothing is left. */
export function normalized(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const items = value.map((v) => normalized(v) ?? null);
    return items.length > 0 ? items : undefined;
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as Record<string, unknown>).sort()) {
      const v = normalized((value as Record<string, unknown>)[key]);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  return value;
}

/** Whether two templates are the same but for the pod-template-hash label (upstream EqualIgnoreHash). */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return deepEqual(normalized(withoutHash(a)), normalized(withoutHash(b)));
}

function withoutHash(template: PodTemplateSpec | undefined): PodTemplateSpec | undefined {
  const labels = template?.metadata?.labels;
  if (!labels || !(POD_TEMPLATE_HASH_LABEL in labels)) return template;
  const { [POD_TEMPLATE_HASH_LABEL]: _hash, ...rest } = labels;
  return { ...template, metadata: { ...template.metadata, labels: rest } };
}
