/**
 * The small formatting rules upstream's printers share (kubernetes `pkg/printers/internalversion`,
 * apimachinery `labels.FormatLabels`, `metav1.FormatLabelSelector`): how labels, selectors,
 * container lists, ages and optional booleans read in a cell.
 */
import type { Obj } from '../../api/object';
import { fromLabelSelector, type LabelSelector } from '../../api/selector';
import { age } from '../../util/duration';
import type { ColumnDefinition } from './table';

/** `a=1,b=2` sorted by key, or `<none>` (upstream `labels.FormatLabels`). */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels![k]}`).join(',');
}

/** A structured selector in its string form, `<none>` when it selects nothing, `<error>` when invalid (upstream `FormatLabelSelector`). */
export function formatLabelSelector(selector: LabelSelector | undefined): string {
  try {
    return fromLabelSelector(selector).toString() || '<none>';
  } catch {
    return '<error>';
  }
}

/** A Deployment's selector as upstream prints it: the string form, empty when absent, `<invalid>` when invalid. */
export function selectorString(selector: LabelSelector | undefined): string {
  try {
    return fromLabelSelector(selector).toString();
  } catch {
    return '<invalid>';
  }
}

interface NamedImage {
  name?: string;
  image?: string;
}

/** The names and the images of a pod template's containers, comma-separated (upstream `layoutContainerCells`). */
export function containerCells(containers: NamedImage[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name ?? '').join(','), list.map((c) => c.image ?? '').join(',')];
}

/** `True`, `False`, or `<unset>` for an optional boolean (upstream `printBoolPtr`). */
export function boolCell(value: boolean | undefined): string {
  if (value === undefined) return '<unset>';
  return value ? 'True' : 'False';
}

/** Upstream `translateTimestampSince`: the age of a timestamp, `<unknown>` when there is none. */
export function since(timestamp: string | undefined, now: number): string {
  return age(timestamp, now);
}

export function objectAge(object: Obj, now: number): string {
  return age(object.metadata.creationTimestamp, now);
}

/** What the value of a condition of `type` is (True, False, Unknown), if the list has one. */
export function conditionStatus(conditions: Array<{ type?: string; status?: string }> | undefined, type: string): string | undefined {
  return conditions?.find((c) => c.type === type)?.status;
}

/** A column as upstream declares it; `priority` 1 shows only with `-o wide`. */
export function column(name: string, type: string, description: string, priority = 0): ColumnDefinition {
  return { name, type, format: '', description, priority };
}

export const nameColumn: ColumnDefinition = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace. Cannot be updated.',
  priority: 0,
};

export const ageColumn = column('Age', 'string', 'CreationTimestamp is a timestamp representing the server time when this object was created.');

/** Containers, Images (and Selector) of a kind with a pod template, shown with `-o wide`. */
export const templateColumns = (selectorDescription: string): ColumnDefinition[] => [
  column('Containers', 'string', 'Names of each container in the template.', 1),
  column('Images', 'string', 'Images referenced by each container in the template.', 1),
  column('Selector', 'string', selectorDescription, 1),
];
