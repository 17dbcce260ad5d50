/** Leases (upstream's ValidateLease): a positive duration, a non-negative transition count. */
import type { Cause } from '../../api/errors';
import type { Lease } from '../../api/types';
import { forbidden, invalid, notSupported } from './field-errors';
import { onKind } from './kinds';

const STRATEGIES = ['OldestEmulationVersion'];

export const leaseValidation = onKind('lease-validation', 'coordination.k8s.io', 'Lease', {
  validate(obj) {
    const spec = (obj as Lease).spec;
    if (!spec) return [];
    const causes: Cause[] = [];
    if (spec.leaseDurationSeconds !== undefined && spec.leaseDurationSeconds <= 0) {
      causes.push(invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
    }
    if (spec.leaseTransitions !== undefined && spec.leaseTransitions < 0) {
      causes.push(invalid('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'));
    }
    if (spec.strategy !== undefined && !STRATEGIES.includes(spec.strategy)) causes.push(notSupported('spec.strategy', spec.strategy, STRATEGIES));
    if (spec.preferredHolder && !spec.strategy) causes.push(forbidden('spec.preferredHolder', 'may only be specified if `strategy` is defined'));
    return causes;
  },
});
