/**
 * Defaults of PodDisruptionBudgets and LimitRanges as a Kubernetes 1.32 server sets them: a new
 * budget's status counts start at zero (the strategy resets status, and upstream's counts are
 * not omitted when zero); a Container limit item fills its default limit from max and its default
 * request from the default limit, else from min (`SetDefaults_LimitRangeItem`).
 */
import type { LimitRange, PodDisruptionBudget } from '../../api/types';
import { onKind } from './kinds';

export const podDisruptionBudgetDefaults = onKind('poddisruptionbudget-defaults', 'policy', 'PodDisruptionBudget', {
  mutate(obj, { operation, subresource }) {
    if (operation !== 'CREATE' || subresource) return;
    const budget = obj as PodDisruptionBudget;
    budget.status = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, ...budget.status };
  },
});

export const limitRangeDefaults = onKind('limitrange-defaults', '', 'LimitRange', {
  mutate(obj) {
    for (const item of (obj as LimitRange).spec?.limits ?? []) {
      if (item.type !== 'Container') continue;
      const limits = { ...item.max, ...item.default };
      const requests = { ...item.min, ...limits, ...item.defaultRequest };
      if (Object.keys(limits).length > 0) item.default = limits;
      if (Object.keys(requests).length > 0) item.defaultRequest = requests;
    }
  },
});
