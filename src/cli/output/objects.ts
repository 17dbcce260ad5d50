/**
 * Whole objects as kubectl prints them with `-o yaml`, `-o json` and `-o name`: keys sorted (kubectl
 * prints unstructured maps, which Go marshals in key order), `metadata.managedFields` left out
 * unless asked for, several objects wrapped in a `v1 List`, and names as `deployment.apps/web`.
 */
import YAML from 'yaml';
import type { Obj } from '../../api/object';
import { parseApiVersion } from '../../client';

export type ObjectFormat = 'yaml' | 'json' | 'name';

export interface ObjectPrintOptions {
  showManagedFields?: boolean;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
  return out;
}

/** An object as printed: keys sorted, managed fields dropped unless asked for. */
export function printable(obj: Obj, options: ObjectPrintOptions = {}): unknown {
  if (options.showManagedFields || !obj.metadata?.managedFields) return sortKeys(obj);
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  return sortKeys({ ...obj, metadata });
}

/** One object, or a `List` of them when there are several (or none, or `asList`). */
function document(objects: Obj[], options: ObjectPrintOptions, asList: boolean): unknown {
  if (objects.length === 1 && !asList) return printable(objects[0], options);
  return { apiVersion: 'v1', items: objects.map((o) => printable(o, options)), kind: 'List', metadata: { resourceVersion: '' } };
}

/**
 * YAML as kubectl writes it (go-yaml): strings that YAML 1.1 would read as something else
 * (timestamps, yes/no/on/off, numbers) quoted, sequences not indented under their key, no folding.
 */
export function toYaml(value: unknown): string {
  return YAML.stringify(value, { version: '1.1', indentSeq: false, lineWidth: 0, aliasDuplicateObjects: false });
}

/** kubectl indents JSON by four spaces. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 4)}\n`;
}

/** `deployment.apps`, `pod`: the lower-case kind with its group, as names are printed. */
export function kindQualifier(group: string, kind: string): string {
  return group ? `${kind.toLowerCase()}.${group}` : kind.toLowerCase();
}

/** `deployment.apps/web` */
export function qualifiedName(obj: Obj): string {
  return `${kindQualifier(parseApiVersion(obj.apiVersion ?? '').group, obj.kind ?? '')}/${obj.metadata.name ?? ''}`;
}

/** The text of `objects` in a format; `asList` wraps even one object (a list was asked for). */
export function formatObjects(objects: Obj[], format: ObjectFormat, options: ObjectPrintOptions & { asList?: boolean } = {}): string {
  switch (format) {
    case 'name':
      return objects.map((o) => `${qualifiedName(o)}\n`).join('');
    case 'json':
      return toJson(document(objects, options, options.asList ?? false));
    case 'yaml':
      return toYaml(document(objects, options, options.asList ?? false));
  }
}
