/**
 * apps/v1 Deployment and ReplicaSet (upstream's apps validation): a non-empty selector that
 * selects the template's labels and never changes, a template whose pods restart Always,
 * replicas and the rolling-update bounds, and the counts a status write may carry.
 */
import type { Cause } from '../../api/errors';
import type { Deployment, DeploymentStatus, DeploymentStrategy, LabelSelector, PodTemplateSpec, ReplicaSet, ReplicaSetStatus } from '../../api/types';
import { deepEqual } from '../../util/json';
import { child, forbidden, invalid, nonNegative, notSupported, required, Unquoted } from './field-errors';
import { onKind } from './kinds';
import { isEmptySelector, labelSelectorCauses, renderSelector, selects } from './validate-common';
import { podTemplateCauses } from './validate-pod-spec';

export const PERCENT = /^[0-9]+%$/;
const PERCENT_MESSAGE = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

export const deploymentValidation = onKind('deployment-validation', 'apps', 'Deployment', {
  validate(obj, { operation, old, subresource }) {
    const deployment = obj as Deployment;
    if (subresource === 'status') return deploymentStatusCauses(deployment.status ?? {}, 'status');
    const spec = deployment.spec;
    if (!spec) return [required('spec')];
    const causes = [
      ...nonNegative(spec.replicas, 'spec.replicas'),
      ...replicatedTemplateCauses(spec.selector, spec.template, 'spec'),
      ...strategyCauses(spec.strategy ?? {}, 'spec.strategy'),
      ...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'),
      ...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'),
    ];
    if (spec.progressDeadlineSeconds !== undefined) {
      causes.push(...nonNegative(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
      if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
        causes.push(invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
      }
    }
    const previous = (old as Deployment | undefined)?.spec;
    if (operation === 'UPDATE' && previous) causes.push(...selectorUnchanged(spec.selector, previous.selector));
    return causes;
  },
});

export const replicaSetValidation = onKind('replicaset-validation', 'apps', 'ReplicaSet', {
  validate(obj, { operation, old, subresource }) {
    const replicaSet = obj as ReplicaSet;
    if (subresource === 'status') return replicaSetStatusCauses(replicaSet.status, 'status');
    const spec = replicaSet.spec;
    if (!spec) return [required('spec')];
    const causes = [
      ...nonNegative(spec.replicas, 'spec.replicas'),
      ...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'),
      ...replicatedTemplateCauses(spec.selector, spec.template, 'spec'),
    ];
    const previous = (old as ReplicaSet | undefined)?.spec;
    if (operation === 'UPDATE' && previous) causes.push(...selectorUnchanged(spec.selector, previous.selector));
    return causes;
  },
});

/** How the workloads word the rules they share, as upstream words each. */
const WORKLOAD_WORDS = {
  ReplicaSet: { selector: 'deployment', deadline: (at: string, v: number) => invalid(at, v, 'activeDeadlineSeconds in ReplicaSet is not Supported') },
  DaemonSet: { selector: 'daemonset', deadline: (at: string, v: number) => invalid(at, v, 'activeDeadlineSeconds in DaemonSet is not Supported') },
  StatefulSet: { selector: 'statefulset', deadline: (at: string) => forbidden(at, 'activeDeadlineSeconds in StatefulSet is not Supported') },
};

/**
 * The selector and template of a replicated workload (upstream's ValidatePodTemplateSpecForReplicaSet
 * and the same rules in the DaemonSet and StatefulSet validation): a non-empty selector that
 * selects the template labels, a valid template whose pods restart Always, no deadline.
 */
export function replicatedTemplateCauses(
  selector: LabelSelector,
  template: PodTemplateSpec | undefined,
  path: string,
  kind: keyof typeof WORKLOAD_WORDS = 'ReplicaSet',
): Cause[] {
  const words = WORKLOAD_WORDS[kind];
  const causes = labelSelectorCauses(selector, child(path, 'selector'));
  if (isEmptySelector(selector)) causes.push(invalid(child(path, 'selector'), renderSelector(selector), `empty selector is invalid for ${words.selector}`));
  const at = child(path, 'template');
  if (!template) return [...causes, required(at)];
  if (!isEmptySelector(selector) && causes.length === 0 && !selects(selector, template.metadata?.labels)) {
    causes.push(invalid(child(at, 'metadata.labels'), template.metadata?.labels ?? {}, '`selector` does not match template `labels`'));
  }
  causes.push(...podTemplateCauses(template, at));
  const restartPolicy = template.spec?.restartPolicy;
  if (restartPolicy !== undefined && restartPolicy !== 'Always') causes.push(notSupported(child(at, 'spec.restartPolicy'), restartPolicy, ['Always']));
  const deadline = template.spec?.activeDeadlineSeconds;
  if (deadline !== undefined) causes.push(words.deadline(child(at, 'spec.activeDeadlineSeconds'), deadline));
  return causes;
}

export function selectorUnchanged(selector: LabelSelector, previous: LabelSelector): Cause[] {
  return deepEqual(selector, previous) ? [] : [invalid('spec.selector', renderSelector(selector), 'field is immutable')];
}

function strategyCauses(strategy: DeploymentStrategy, path: string): Cause[] {
  if (strategy.type === 'Recreate') {
    return strategy.rollingUpdate ? [forbidden(child(path, 'rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'")] : [];
  }
  // Any other type is outside the schema's enum, and reported there.
  if (strategy.type !== 'RollingUpdate') return [];
  const rolling = strategy.rollingUpdate;
  if (!rolling) return [required(child(path, 'rollingUpdate'), 'this should be defaulted and never be nil')];
  const at = child(path, 'rollingUpdate');
  const causes = [...intOrPercentCauses(rolling.maxUnavailable, child(at, 'maxUnavailable')), ...intOrPercentCauses(rolling.maxSurge, child(at, 'maxSurge'))];
  if (amount(rolling.maxUnavailable) === 0 && amount(rolling.maxSurge) === 0) {
    causes.push(invalid(child(at, 'maxUnavailable'), intOrString(rolling.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
  }
  if (typeof rolling.maxUnavailable === 'string' && PERCENT.test(rolling.maxUnavailable) && amount(rolling.maxUnavailable) > 100) {
    causes.push(invalid(child(at, 'maxUnavailable'), intOrString(rolling.maxUnavailable), 'must not be greater than 100%'));
  }
  return causes;
}

/** upstream's ValidatePositiveIntOrPercent. */
export function intOrPercentCauses(value: number | string | undefined, path: string): Cause[] {
  if (typeof value === 'string') return PERCENT.test(value) ? [] : [invalid(path, intOrString(value), PERCENT_MESSAGE)];
  return nonNegative(value, path);
}

/** The number or percentage an int-or-string holds; -1 for a string that is neither. */
export function amount(value: number | string | undefined): number {
  if (typeof value === 'number') return value;
  return typeof value === 'string' && PERCENT.test(value) ? Number(value.slice(0, -1)) : -1;
}

/** An IntOrString prints without quotes in upstream's messages. */
export const intOrString = (value: number | string | undefined): Unquoted => new Unquoted(String(value ?? ''));

const NOT_ABOVE_REPLICAS = 'cannot be greater than status.replicas';

function deploymentStatusCauses(status: DeploymentStatus, path: string): Cause[] {
  const replicas = status.replicas ?? 0;
  const ready = status.readyReplicas ?? 0;
  const causes = (['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'collisionCount'] as const).flatMap(
    (field) => nonNegative(status[field], child(path, field)),
  );
  for (const field of ['updatedReplicas', 'readyReplicas', 'availableReplicas'] as const) {
    const value = status[field] ?? 0;
    if (value > replicas) causes.push(invalid(child(path, field), value, NOT_ABOVE_REPLICAS));
  }
  if ((status.availableReplicas ?? 0) > ready) causes.push(invalid(child(path, 'availableReplicas'), status.availableReplicas, 'cannot be greater than readyReplicas'));
  return causes;
}

function replicaSetStatusCauses(status: ReplicaSetStatus | undefined, path: string): Cause[] {
  if (!status) return [];
  const ready = status.readyReplicas ?? 0;
  const causes = (['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'] as const).flatMap((field) =>
    nonNegative(status[field], child(path, field)),
  );
  for (const field of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'] as const) {
    const value = status[field] ?? 0;
    if (value > status.replicas) causes.push(invalid(child(path, field), value, NOT_ABOVE_REPLICAS));
  }
  if ((status.availableReplicas ?? 0) > ready) causes.push(invalid(child(path, 'availableReplicas'), status.availableReplicas, 'cannot be greater than readyReplicas'));
  return causes;
}
