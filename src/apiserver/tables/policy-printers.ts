/**
 * `kubectl get serviceaccounts, poddisruptionbudgets, resourcequotas`, cell for cell as upstream's
 * printers (kubernetes `pkg/printers/internalversion/printers.go`). LimitRanges have no printer
 * there and print with the apiserver's default Name / Created At table.
 */
import type { Obj } from '../../api/object';
import type { PodDisruptionBudget, ResourceQuota, ServiceAccount } from '../../api/types';
import { ageColumn, column, nameColumn, objectAge } from './cells';
import type { Printer } from './table';

export const serviceAccountPrinter: Printer = {
  columns: [nameColumn, column('Secrets', 'string', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'), ageColumn],
  cells: (object, now) => [object.metadata.name, (object as unknown as ServiceAccount).secrets?.length ?? 0, objectAge(object, now)],
};

export const podDisruptionBudgetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Min Available', 'string', 'The minimum number of pods that must be available.'),
    column('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    column('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    ageColumn,
  ],
  cells(object: Obj, now: number): unknown[] {
    const budget = object as unknown as PodDisruptionBudget;
    const spec = budget.spec ?? {};
    const shown = (value: number | string | undefined) => (value === undefined ? 'N/A' : String(value));
    return [budget.metadata.name, shown(spec.minAvailable), shown(spec.maxUnavailable), budget.status?.disruptionsAllowed ?? 0, objectAge(object, now)];
  },
};

export const resourceQuotaPrinter: Printer = {
  columns: [
    nameColumn,
    ageColumn,
    column('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
    column('Limit', 'string', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.'),
  ],
  cells(object: Obj, now: number): unknown[] {
    const [request, limit] = quotaCells(object as unknown as ResourceQuota);
    return [object.metadata.name, objectAge(object, now), request, limit];
  },
};

/**
 * `resource: used/hard` for every resource the quota enforces (status.hard, so nothing until a
 * quota controller has looked), sorted by name; `limits.*` go to LIMIT, the rest to REQUEST.
 */
export function quotaCells(quota: ResourceQuota): [string, string] {
  const hard = quota.status?.hard ?? {};
  const used = quota.status?.used ?? {};
  const request: string[] = [];
  const limit: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    const cell = `${name}: ${used[name] ?? 0}/${hard[name]}`;
    (name.startsWith('limits.') ? limit : request).push(cell);
  }
  return [request.join(', '), limit.join(', ')];
}
