/**
 * PodDisruptionBudget (upstream's pkg/apis/policy/validation), ResourceQuota and LimitRange
 * (pkg/apis/core/validation): minAvailable or maxUnavailable, not both, each a count or a
 * percentage up to 100%; quota resources that are standard and amounts that are not negative,
 * scopes that exist and do not conflict; one limit item per type whose bounds are in order.
 */
import type { Cause } from '../../api/errors';
import type { LimitRange, LimitRangeItem, PodDisruptionBudget, PodDisruptionBudgetStatus, ResourceQuota, ResourceQuotaSpec } from '../../api/types';
import { LIMIT_TYPES, RESOURCE_QUOTA_SCOPES, UNHEALTHY_POD_EVICTION_POLICIES } from '../../api/types';
import { child, duplicate, forbidden, index, invalid, key, nonNegative, notSupported, required, unstructured } from './field-errors';
import { onKind } from './kinds';
import { amount, intOrPercentCauses, intOrString, PERCENT } from './validate-apps';
import { labelSelectorCauses, quantityAmount } from './validate-common';

export const podDisruptionBudgetValidation = onKind('poddisruptionbudget-validation', 'policy', 'PodDisruptionBudget', {
  validate(obj, { subresource }) {
    const budget = obj as PodDisruptionBudget;
    if (subresource === 'status') return budgetStatusCauses(budget.status ?? {}, 'status');
    const spec = budget.spec ?? {};
    const causes: Cause[] = [];
    if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
      causes.push(invalid('spec', unstructured(spec), 'minAvailable and maxUnavailable cannot be both set'));
    }
    causes.push(...countOrPercentCauses(spec.minAvailable, 'spec.minAvailable'), ...countOrPercentCauses(spec.maxUnavailable, 'spec.maxUnavailable'));
    if (spec.selector) causes.push(...labelSelectorCauses(spec.selector, 'spec.selector'));
    const policy = spec.unhealthyPodEvictionPolicy;
    if (policy !== undefined && !(UNHEALTHY_POD_EVICTION_POLICIES as readonly string[]).includes(policy)) {
      causes.push(notSupported('spec.unhealthyPodEvictionPolicy', policy, UNHEALTHY_POD_EVICTION_POLICIES));
    }
    return causes;
  },
});

/** upstream's ValidatePositiveIntOrPercent then IsNotMoreThan100Percent. */
function countOrPercentCauses(value: number | string | undefined, path: string): Cause[] {
  if (value === undefined) return [];
  const causes = intOrPercentCauses(value, path);
  if (typeof value === 'string' && PERCENT.test(value) && amount(value) > 100) causes.push(invalid(path, intOrString(value), 'must not be greater than 100%'));
  return causes;
}

function budgetStatusCauses(status: PodDisruptionBudgetStatus, path: string): Cause[] {
  return (['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'] as const).flatMap((name) => nonNegative(status[name], child(path, name)));
}

/** Quota resources counted as whole objects, whose amounts must be integers (upstream's IsIntegerResourceName). */
const OBJECT_COUNTS = ['pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers'];
const COMPUTE = ['cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.storage', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage'];
const QUOTA_PREFIXES = ['count/', 'hugepages-', 'requests.hugepages-'];
const CONFLICTING_SCOPES = [
  ['BestEffort', 'NotBestEffort'],
  ['Terminating', 'NotTerminating'],
];
/** Scopes that only say whether a pod has them, so their selector operator must be Exists. */
const PRESENCE_SCOPES = ['BestEffort', 'NotBestEffort', 'Terminating', 'NotTerminating', 'CrossNamespacePodAffinity'];

const isScope = (scope: string): boolean => (RESOURCE_QUOTA_SCOPES as readonly string[]).includes(scope);

export const resourceQuotaValidation = onKind('resourcequota-validation', '', 'ResourceQuota', {
  validate(obj, { subresource }) {
    const quota = obj as ResourceQuota;
    if (subresource === 'status') {
      const status = quota.status ?? {};
      return [...quotaListCauses(status.hard, 'status.hard'), ...quotaListCauses(status.used, 'status.used')];
    }
    const spec = quota.spec ?? {};
    return [...quotaListCauses(spec.hard, 'spec.hard'), ...scopeCauses(spec), ...scopeSelectorCauses(spec)];
  },
});

/** upstream's ValidateResourceQuotaResourceName and ValidateResourceQuantityValue, per entry. */
function quotaListCauses(list: Record<string, string | number> | undefined, path: string): Cause[] {
  const causes: Cause[] = [];
  for (const [name, value] of Object.entries(list ?? {})) {
    const at = key(path, name);
    if (!name.includes('/') && !OBJECT_COUNTS.includes(name) && !COMPUTE.includes(name) && !QUOTA_PREFIXES.some((p) => name.startsWith(p))) {
      causes.push(invalid(at, name, 'must be a standard resource for quota'));
    }
    causes.push(...quantityValueCauses(value, at, OBJECT_COUNTS.includes(name) || name.startsWith('count/')));
  }
  return causes;
}

function quantityValueCauses(value: string | number, path: string, integer: boolean): Cause[] {
  const causes: Cause[] = [];
  const amount = quantityAmount(value, path, causes);
  if (causes.length === 0 && integer && amount !== undefined && Math.round(amount * 1000) % 1000 !== 0) causes.push(invalid(path, String(value), 'must be an integer'));
  return causes;
}

/** upstream's validateResourceQuotaScopes: reported on the whole list, as upstream does. */
function scopeCauses(spec: ResourceQuotaSpec): Cause[] {
  const scopes = spec.scopes ?? [];
  const causes: Cause[] = [];
  for (const scope of scopes) if (!isScope(scope)) causes.push(invalid('spec.scopes', scopes, 'unsupported scope'));
  for (const pair of CONFLICTING_SCOPES) if (pair.every((s) => scopes.includes(s))) causes.push(invalid('spec.scopes', scopes, 'conflicting scopes'));
  return causes;
}

/** upstream's validateScopedResourceSelectorRequirement: its paths name matchExpressions, not the item. */
function scopeSelectorCauses(spec: ResourceQuotaSpec): Cause[] {
  if (!spec.scopeSelector) return [];
  const path = 'spec.scopeSelector.matchExpressions';
  const expressions = spec.scopeSelector.matchExpressions ?? [];
  const causes: Cause[] = [];
  for (const requirement of expressions) {
    const { scopeName, operator } = requirement;
    const values = requirement.values ?? [];
    if (!isScope(scopeName)) causes.push(invalid(child(path, 'scopeName'), scopeName, 'unsupported scope'));
    if (PRESENCE_SCOPES.includes(scopeName) && operator !== 'Exists') {
      causes.push(
        invalid(
          child(path, 'operator'),
          operator,
          "must be 'Exist' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
        ),
      );
    }
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0) causes.push(required(child(path, 'values'), "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"));
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0) causes.push(invalid(child(path, 'values'), values, "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"));
    } else {
      causes.push(invalid(child(path, 'operator'), operator, 'not a valid selector operator'));
    }
  }
  const names = expressions.map((e) => e.scopeName);
  for (const pair of CONFLICTING_SCOPES) {
    if (pair.every((s) => names.includes(s))) causes.push(invalid(path, unstructured(spec.scopeSelector), 'conflicting scopes'));
  }
  return causes;
}

export const limitRangeValidation = onKind('limitrange-validation', '', 'LimitRange', {
  validate(obj) {
    const limits = (obj as LimitRange).spec?.limits ?? [];
    const seen = new Set<string>();
    return limits.flatMap((item, i) => {
      const path = index('spec.limits', i);
      const causes: Cause[] = [];
      if (!(LIMIT_TYPES as readonly string[]).includes(item.type)) causes.push(notSupported(child(path, 'type'), item.type, LIMIT_TYPES));
      if (seen.has(item.type)) causes.push(duplicate(child(path, 'type'), item.type));
      seen.add(item.type);
      return [...causes, ...limitItemCauses(item, path)];
    });
  },
});

type Bound = 'max' | 'min' | 'default' | 'defaultRequest' | 'maxLimitRequestRatio';

/** upstream's ValidateLimitRange for one item: min ≤ defaultRequest ≤ default ≤ max, a ratio of at least 1. */
function limitItemCauses(item: LimitRangeItem, path: string): Cause[] {
  const causes: Cause[] = [];
  if (item.type === 'Pod') {
    for (const field of ['default', 'defaultRequest'] as const) {
      if (Object.keys(item[field] ?? {}).length > 0) causes.push(forbidden(child(path, field), "may not be specified when `type` is 'Pod'"));
    }
  }
  const bounds: Bound[] = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'];
  const values = new Map<Bound, Map<string, { text: string; value: number }>>();
  for (const bound of bounds) {
    const parsed = new Map<string, { text: string; value: number }>();
    for (const [name, quantity] of Object.entries(item[bound] ?? {})) {
      const value = quantityAmount(quantity, key(child(path, bound), name), causes);
      if (value !== undefined) parsed.set(name, { text: String(quantity), value });
    }
    values.set(bound, parsed);
  }
  const names = [...new Set(bounds.flatMap((b) => [...values.get(b)!.keys()]))].sort();
  for (const name of names) {
    const get = (bound: Bound) => values.get(bound)!.get(name);
    const [max, min, limit, request, ratio] = bounds.map(get);
    const at = (bound: Bound) => key(child(path, bound), name);
    if (min && max && min.value > max.value) causes.push(invalid(at('min'), min.text, `min value ${min.text} is greater than max value ${max.text}`));
    if (request && min && min.value > request.value) causes.push(invalid(at('defaultRequest'), request.text, `min value ${min.text} is greater than default request value ${request.text}`));
    if (request && max && request.value > max.value) causes.push(invalid(at('defaultRequest'), request.text, `default request value ${request.text} is greater than max value ${max.text}`));
    if (request && limit && request.value > limit.value) {
      causes.push(invalid(at('defaultRequest'), request.text, `default request value ${request.text} is greater than default limit value ${limit.text}`));
    }
    if (limit && min && min.value > limit.value) causes.push(invalid(at('default'), min.text, `min value ${min.text} is greater than default value ${limit.text}`));
    if (limit && max && limit.value > max.value) causes.push(invalid(at('default'), max.text, `default value ${limit.text} is greater than max value ${max.text}`));
    if (ratio && ratio.value < 1) causes.push(invalid(at('maxLimitRequestRatio'), ratio.text, `ratio ${ratio.text} is less than 1`));
  }
  return causes;
}
