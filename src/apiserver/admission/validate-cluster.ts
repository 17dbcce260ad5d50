/** Namespaces and Nodes (upstream's ValidateNamespace and ValidateNode): finalizer names, taints. */
import type { Cause } from '../../api/errors';
import { isQualifiedName, isValidLabelValue } from '../../api/names';
import type { Namespace, Node } from '../../api/types';
import { child, duplicate, index, invalid } from './field-errors';
import { onKind } from './kinds';

/** Finalizers that need no domain: the ones Kubernetes itself defines. */
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

export const namespaceValidation = onKind('namespace-validation', '', 'Namespace', {
  validate(obj) {
    const causes: Cause[] = [];
    for (const finalizer of (obj as Namespace).spec?.finalizers ?? []) {
      const path = 'spec.finalizers';
      causes.push(...isQualifiedName(finalizer).map((p) => invalid(path, finalizer, p)));
      if (!finalizer.includes('/') && !STANDARD_FINALIZERS.has(finalizer)) {
        causes.push(invalid(path, finalizer, 'name is neither a standard finalizer name nor is it fully qualified'));
      }
    }
    return causes;
  },
});

export const nodeValidation = onKind('node-validation', '', 'Node', {
  validate(obj) {
    const causes: Cause[] = [];
    const seen = new Set<string>();
    ((obj as Node).spec?.taints ?? []).forEach((taint, i) => {
      const at = index('spec.taints', i);
      causes.push(...isQualifiedName(taint.key).map((p) => invalid(child(at, 'key'), taint.key, p)));
      if (taint.value !== undefined) causes.push(...isValidLabelValue(taint.value).map((p) => invalid(child(at, 'value'), taint.value, p)));
      const id = `${taint.effect}\u0000${taint.key}`;
      if (seen.has(id)) {
        const cause = duplicate(at, taint);
        causes.push({ ...cause, message: `${cause.message}: taints must be unique by key and effect pair` });
      } else seen.add(id);
    });
    return causes;
  },
});
