/**
 * Pods: the spec on create (validate-pod-spec.ts), and on update upstream's rule that a pod's spec
 * is fixed once created except for container images, a shorter activeDeadlineSeconds, added
 * tolerations and removed scheduling gates; the node is set only through the binding subresource.
 */
import type { Cause } from '../../api/errors';
import type { Pod, PodSpec, Toleration } from '../../api/types';
import { clone, deepEqual } from '../../util/json';
import { forbidden, invalid, required } from './field-errors';
import { onKind } from './kinds';
import { podSpecCauses } from './validate-pod-spec';

const INT32_MAX = 2 ** 31 - 1;

export const FIXED_POD_SPEC =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,' +
  '`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

export const podValidation = onKind('pod-validation', '', 'Pod', {
  validate(obj, { operation, old, subresource }) {
    const pod = obj as Pod;
    if (!pod.spec) return [required('spec')];
    const causes = podSpecCauses(pod.spec, 'spec', 'pod');
    const previous = (old as Pod | undefined)?.spec;
    if (operation === 'UPDATE' && previous) causes.push(...podUpdateCauses(pod.spec, previous, subresource));
    return causes;
  },
});

function podUpdateCauses(spec: PodSpec, previous: PodSpec, subresource: string | undefined): Cause[] {
  const causes = deadlineCauses(spec.activeDeadlineSeconds, previous.activeDeadlineSeconds);
  if (!onlyAddedTolerations(spec.tolerations ?? [], previous.tolerations ?? [])) {
    causes.push(forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'));
  }
  // What may change is copied from the old spec; whatever still differs may not change.
  const comparable = clone(spec);
  (['containers', 'initContainers'] as const).forEach((field) => {
    const before = previous[field] ?? [];
    (comparable[field] ?? []).forEach((c, i) => {
      if (before[i]) c.image = before[i].image;
    });
  });
  comparable.activeDeadlineSeconds = previous.activeDeadlineSeconds;
  comparable.tolerations = previous.tolerations;
  if ((previous.terminationGracePeriodSeconds ?? 0) < 0 && spec.terminationGracePeriodSeconds === 1) {
    comparable.terminationGracePeriodSeconds = previous.terminationGracePeriodSeconds;
  }
  if ((spec.schedulingGates ?? []).every((g) => (previous.schedulingGates ?? []).some((p) => p.name === g.name))) {
    comparable.schedulingGates = previous.schedulingGates;
  }
  if (subresource === 'binding') comparable.nodeName = previous.nodeName;
  const changed = changedFields(comparable, previous, 'spec');
  if (changed.length > 0) causes.push(forbidden('spec', `${FIXED_POD_SPEC}\n  changed: ${changed.join(', ')}`));
  return causes;
}

function deadlineCauses(next: number | undefined, previous: number | undefined): Cause[] {
  const path = 'spec.activeDeadlineSeconds';
  if (next === undefined) return previous === undefined ? [] : [invalid(path, null, 'must not update from a positive integer to nil value')];
  if (next < 0 || next > INT32_MAX) return [invalid(path, next, `must be between 0 and ${INT32_MAX}, inclusive`)];
  if (previous !== undefined && previous < next) return [invalid(path, next, 'must be less than or equal to previous value')];
  return [];
}

/** Every old toleration is still there (its tolerationSeconds may change); new ones may be added. */
function onlyAddedTolerations(next: Toleration[], previous: Toleration[]): boolean {
  return previous.every((old) => next.some((t) => deepEqual({ ...old, tolerationSeconds: t.tolerationSeconds }, t)));
}

/** The paths under which two JSON values differ, for the message (upstream prints a diff). */
function changedFields(next: unknown, previous: unknown, path: string): string[] {
  if (deepEqual(next, previous)) return [];
  const bothObjects = next !== null && previous !== null && typeof next === 'object' && typeof previous === 'object';
  if (!bothObjects || Array.isArray(next) !== Array.isArray(previous)) return [path];
  if (Array.isArray(next) && Array.isArray(previous)) {
    if (next.length !== previous.length) return [path];
    return next.flatMap((item, i) => changedFields(item, previous[i], `${path}[${i}]`));
  }
  const a = next as Record<string, unknown>;
  const b = previous as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.flatMap((k) => changedFields(a[k], b[k], `${path}.${k}`));
}
