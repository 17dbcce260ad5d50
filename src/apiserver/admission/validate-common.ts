/**
 * Checks several kinds share, with upstream's messages: port numbers and names, DNS labels,
 * label selectors (and whether they select a template's labels), label maps.
 */
import type { Cause } from '../../api/errors';
import { Invalid } from '../../api/errors';
import { isDNS1123Label, isDNS1123Subdomain, validateLabels } from '../../api/names';
import { fromLabelSelector } from '../../api/selector';
import type { LabelSelector } from '../../api/types';
import { parseQuantity } from '../../util/quantity';
import { invalid, Unquoted } from './field-errors';

const PORT_NAME_MAX_LENGTH = 15;

/**
 * A resource quantity's amount, with a cause pushed when it is negative (upstream's
 * ValidateResourceQuantityValue); undefined when it does not parse, which the schema check reports.
 */
export function quantityAmount(value: string | number, path: string, causes: Cause[]): number | undefined {
  let amount: number;
  try {
    amount = parseQuantity(value);
  } catch {
    return undefined;
  }
  if (amount < 0) causes.push(invalid(path, String(value), 'must be greater than or equal to 0'));
  return amount;
}

/** upstream's IsValidPortNum. */
export function portNumberProblems(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

/** upstream's IsValidPortName: an IANA service name. */
export function portNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length > PORT_NAME_MAX_LENGTH) problems.push(`must be no more than ${PORT_NAME_MAX_LENGTH} characters`);
  if (!/^[-a-z0-9]+$/.test(name)) problems.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) problems.push('must contain at least one letter (a-z)');
  if (name.includes('--')) problems.push('must not contain consecutive hyphens (-)');
  if (name.startsWith('-') || name.endsWith('-')) problems.push('must not begin or end with a hyphen (-)');
  return problems;
}

export function portNumberCauses(port: number, path: string): Cause[] {
  return portNumberProblems(port).map((p) => invalid(path, port, p));
}

/** upstream's ValidatePortNumOrName: a number in range, or an IANA service name. */
export function portNumOrNameCauses(port: number | string, path: string): Cause[] {
  if (typeof port === 'number') return portNumberCauses(port, path);
  return portNameProblems(port).map((p) => invalid(path, port, p));
}

export function dnsLabelCauses(value: string, path: string): Cause[] {
  return isDNS1123Label(value).map((p) => invalid(path, value, p));
}

export function dnsSubdomainCauses(value: string, path: string): Cause[] {
  return isDNS1123Subdomain(value).map((p) => invalid(path, value, p));
}

export function labelCauses(labels: Record<string, string> | undefined, path: string): Cause[] {
  return validateLabels(labels ?? {}, path);
}

/** upstream's ValidateLabelSelector: keys, values and operators, each at its own path. */
export function labelSelectorCauses(selector: LabelSelector, path: string): Cause[] {
  try {
    fromLabelSelector(selector, path);
    return [];
  } catch (e) {
    if (e instanceof Invalid) return e.causes;
    throw e;
  }
}

/** Whether a (valid) selector selects these labels; an empty selector selects everything. */
export function selects(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  try {
    return fromLabelSelector(selector).matches(labels ?? {});
  } catch {
    return false;
  }
}

export function isEmptySelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions ?? []).length === 0;
}

/** A selector as upstream prints a `metav1.LabelSelector` in a message (Go's `%#v`). */
export function renderSelector(selector: LabelSelector): Unquoted {
  const labels = Object.entries(selector.matchLabels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const matchLabels = selector.matchLabels
    ? `map[string]string{${labels.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(', ')}}`
    : 'map[string]string(nil)';
  const expressions = selector.matchExpressions
    ? `[]v1.LabelSelectorRequirement{${selector.matchExpressions
        .map((e) => {
          const values = e.values ? `[]string{${e.values.map((v) => JSON.stringify(v)).join(', ')}}` : '[]string(nil)';
          return `v1.LabelSelectorRequirement{Key:${JSON.stringify(e.key)}, Operator:${JSON.stringify(e.operator)}, Values:${values}}`;
        })
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return new Unquoted(`v1.LabelSelector{MatchLabels:${matchLabels}, MatchExpressions:${expressions}}`);
}
