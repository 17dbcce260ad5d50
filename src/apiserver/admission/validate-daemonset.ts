/**
 * apps/v1 DaemonSet (upstream's ValidateDaemonSet): the replicated-workload rules (selector,
 * template), an update strategy whose rolling update makes progress — exactly one of maxSurge
 * and maxUnavailable non-zero —, an immutable selector, and the counts a status write carries.
 */
import type { Cause } from '../../api/errors';
import type { DaemonSet, DaemonSetStatus, DaemonSetUpdateStrategy } from '../../api/types';
import { child, invalid, nonNegative, required } from './field-errors';
import { onKind } from './kinds';
import { amount, intOrPercentCauses, intOrString, PERCENT, replicatedTemplateCauses, selectorUnchanged } from './validate-apps';

export const daemonSetValidation = onKind('daemonset-validation', 'apps', 'DaemonSet', {
  validate(obj, { operation, old, subresource }) {
    const daemonSet = obj as DaemonSet;
    if (subresource === 'status') return daemonSetStatusCauses(daemonSet.status);
    const spec = daemonSet.spec;
    if (!spec) return [required('spec')];
    const causes = [
      ...replicatedTemplateCauses(spec.selector, spec.template, 'spec', 'DaemonSet'),
      ...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'),
      ...updateStrategyCauses(spec.updateStrategy ?? {}, 'spec.updateStrategy'),
      ...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'),
    ];
    const previous = (old as DaemonSet | undefined)?.spec;
    if (operation === 'UPDATE' && previous) causes.push(...selectorUnchanged(spec.selector, previous.selector));
    return causes;
  },
});

function updateStrategyCauses(strategy: DaemonSetUpdateStrategy, path: string): Cause[] {
  // OnDelete needs nothing; another type is outside the schema's enum, and reported there.
  if (strategy.type !== 'RollingUpdate') return [];
  const rolling = strategy.rollingUpdate;
  const at = child(path, 'rollingUpdate');
  if (!rolling) return [required(at)];
  const causes = [...intOrPercentCauses(rolling.maxUnavailable, child(at, 'maxUnavailable')), ...intOrPercentCauses(rolling.maxSurge, child(at, 'maxSurge'))];
  for (const field of ['maxUnavailable', 'maxSurge'] as const) {
    const value = rolling[field];
    if (typeof value === 'string' && PERCENT.test(value) && amount(value) > 100) causes.push(invalid(child(at, field), intOrString(value), 'must not be greater than 100%'));
  }
  const unavailable = amount(rolling.maxUnavailable) !== 0;
  const surge = amount(rolling.maxSurge) !== 0;
  if (unavailable && surge) causes.push(invalid(child(at, 'maxSurge'), intOrString(rolling.maxSurge), 'may not be set when maxUnavailable is non-zero'));
  if (!unavailable && !surge) causes.push(required(child(at, 'maxUnavailable'), 'cannot be 0 when maxSurge is 0'));
  return causes;
}

function daemonSetStatusCauses(status: DaemonSetStatus | undefined): Cause[] {
  if (!status) return [];
  const fields = [
    'numberMisscheduled',
    'currentNumberScheduled',
    'desiredNumberScheduled',
    'numberReady',
    'observedGeneration',
    'updatedNumberScheduled',
    'numberAvailable',
    'numberUnavailable',
    'collisionCount',
  ] as const;
  return fields.flatMap((field) => nonNegative(status[field], child('status', field)));
}
