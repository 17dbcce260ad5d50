/**
 * core/v1 ReplicationController (upstream's ValidateReplicationController): a non-empty selector
 * map of valid labels that selects the template labels, a valid template whose pods restart
 * Always and have no deadline, non-negative counts. Unlike a ReplicaSet's, the selector may change.
 */
import type { Cause } from '../../api/errors';
import type { ReplicationController, ReplicationControllerStatus } from '../../api/types';
import { child, forbidden, invalid, nonNegative, notSupported, required } from './field-errors';
import { onKind } from './kinds';
import { labelCauses } from './validate-common';
import { podTemplateCauses } from './validate-pod-spec';

export const replicationControllerValidation = onKind('replicationcontroller-validation', '', 'ReplicationController', {
  validate(obj, { subresource }) {
    const rc = obj as ReplicationController;
    if (subresource === 'status') return statusCauses(rc.status);
    const spec = rc.spec ?? {};
    const selector = spec.selector ?? {};
    const causes: Cause[] = [];
    if (Object.keys(selector).length === 0) causes.push(required('spec.selector'));
    causes.push(...labelCauses(selector, 'spec.selector'), ...nonNegative(spec.replicas, 'spec.replicas'), ...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
    const template = spec.template;
    if (!template) return [...causes, required('spec.template')];
    const labels = template.metadata?.labels ?? {};
    if (Object.entries(selector).some(([key, value]) => labels[key] !== value)) {
      causes.push(invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
    }
    causes.push(...podTemplateCauses(template, 'spec.template'));
    const restartPolicy = template.spec?.restartPolicy;
    if (restartPolicy !== undefined && restartPolicy !== 'Always') causes.push(notSupported('spec.template.spec.restartPolicy', restartPolicy, ['Always']));
    if (template.spec?.activeDeadlineSeconds !== undefined) {
      causes.push(forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in ReplicationController is not Supported'));
    }
    return causes;
  },
});

function statusCauses(status: ReplicationControllerStatus | undefined): Cause[] {
  if (!status) return [];
  const fields = ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'] as const;
  const causes = fields.flatMap((field) => nonNegative(status[field], child('status', field)));
  for (const field of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'] as const) {
    const value = status[field] ?? 0;
    if (value > status.replicas) causes.push(invalid(child('status', field), value, 'cannot be greater than status.replicas'));
  }
  if ((status.availableReplicas ?? 0) > (status.readyReplicas ?? 0)) {
    causes.push(invalid('status.availableReplicas', status.availableReplicas, 'cannot be greater than readyReplicas'));
  }
  return causes;
}
