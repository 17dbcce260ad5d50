/**
 * Upstream's DefaultTolerationSeconds admission plugin: a pod that does not already tolerate the
 * not-ready and unreachable NoExecute taints tolerates each for 300 s, so a node that goes away
 * has its pods evicted after five minutes rather than at once or never.
 */
import type { Pod, Toleration } from '../../api/types';
import { onKind } from './kinds';

export const DEFAULT_TOLERATION_SECONDS = 300;
export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';

export const defaultTolerationSeconds = onKind('default-toleration-seconds', '', 'Pod', {
  mutate(obj, { subresource }) {
    // Subresource writes (status, binding) leave the spec as it is.
    if (subresource) return;
    const spec = (obj as Pod).spec;
    if (!spec) return;
    const tolerations = spec.tolerations ?? [];
    for (const taint of [NOT_READY_TAINT, UNREACHABLE_TAINT]) {
      if (!tolerations.some((t) => tolerates(t, taint))) {
        tolerations.push({ key: taint, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
      }
    }
    spec.tolerations = tolerations;
  },
});

/** Whether a toleration already covers the NoExecute taint `key` (an empty key or effect matches all). */
function tolerates(toleration: Toleration, key: string): boolean {
  return (!toleration.key || toleration.key === key) && (!toleration.effect || toleration.effect === 'NoExecute');
}
