/**
 * What a pod demands of a node's labels and taints, matched as upstream's component-helpers
 * (`scheduling/corev1`, `nodeaffinity`) match them.
 */
import type { NodeSelectorTerm, Taint, Toleration } from '../../src/api/types';

type Labels = Readonly<Record<string, string>>;

/** Upstream `Toleration.ToleratesTaint`: an empty effect or key matches any; Exists ignores the value. */
export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? '') {
    case '':
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

export function toleratesAny(tolerations: readonly Toleration[], taint: Taint): boolean {
  for (const t of tolerations) if (tolerates(t, taint)) return true;
  return false;
}

/** The first taint in `taints` that no toleration tolerates. */
export function firstUntolerated(taints: readonly Taint[], tolerations: readonly Toleration[]): Taint | undefined {
  for (const taint of taints) if (!toleratesAny(tolerations, taint)) return taint;
  return undefined;
}

const integer = /^[+-]?\d+$/;

type Requirement = NonNullable<NodeSelectorTerm['matchExpressions']>[number];

function requirementMatches(r: Requirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      // A bound or a label that is not an integer never matches, as upstream.
      if (value === undefined || values.length !== 1 || !integer.test(values[0]) || !integer.test(value)) return false;
      const actual = BigInt(value);
      const bound = BigInt(values[0]);
      return r.operator === 'Gt' ? actual > bound : actual < bound;
    }
    default:
      return false;
  }
}

/**
 * One node selector term: its expressions on labels and its fields (only `metadata.name`) all
 * hold. An empty term matches no node.
 */
export function termMatches(term: NodeSelectorTerm, labels: Labels, nodeName: string): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  for (const r of expressions) {
    if (!requirementMatches(r, Object.prototype.hasOwnProperty.call(labels, r.key) ? labels[r.key] : undefined)) return false;
  }
  for (const r of fields) {
    if (r.key !== 'metadata.name' || !requirementMatches(r, nodeName)) return false;
  }
  return true;
}

/** The pod's nodeSelector and its required node affinity (terms ORed) both hold. */
export function nodeAffinityMatches(
  nodeSelector: ReadonlyArray<readonly [string, string]>,
  requiredTerms: readonly NodeSelectorTerm[] | undefined,
  labels: Labels,
  nodeName: string,
): boolean {
  for (const [key, value] of nodeSelector) if (labels[key] !== value) return false;
  if (requiredTerms === undefined) return true;
  for (const term of requiredTerms) if (termMatches(term, labels, nodeName)) return true;
  return false;
}
