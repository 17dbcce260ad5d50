/**
 * Running the admission chain on its own, as storage runs it: server metadata set, then mutate,
 * then validate. For table tests of defaults and validation.
 */
import { builtinKinds } from '../../crds';
import type { Cause } from '../../src/api/errors';
import type { Obj } from '../../src/api/object';
import { defaultAdmission } from '../../src/apiserver/admission';
import type { Operation } from '../../src/apiserver/admission/admission';
import { Registry, ResourceType } from '../../src/apiserver/registry';
import { clone } from '../../src/util/json';

export const registry = new Registry(builtinKinds);
export const admission = defaultAdmission(registry);

export function typeOf(apiVersion: string, kind: string): ResourceType {
  const type = registry.forKind(apiVersion, kind);
  if (!type) throw new Error(`no kind ${apiVersion}/${kind}`);
  return type;
}

export interface Admitted {
  object: Obj;
  causes: Cause[];
}

export interface AdmitOptions {
  operation?: Operation;
  old?: Obj;
  subresource?: string;
  type?: ResourceType;
}

/** `obj` after mutation, with the causes validation finds; the input is not changed. */
export function admit(obj: object, options: AdmitOptions = {}): Admitted {
  const object = clone(obj) as Obj;
  object.metadata ??= {};
  const type = options.type ?? typeOf(String(object.apiVersion), String(object.kind));
  const operation = options.operation ?? 'CREATE';
  if (operation === 'CREATE') {
    object.metadata.uid ??= '6f1c2b9e-0000-4000-8000-000000000001';
    object.metadata.creationTimestamp ??= '2025-01-01T00:00:00Z';
    if (type.namespaced) object.metadata.namespace ??= 'default';
  }
  const request = { type, operation, old: options.old, subresource: options.subresource };
  admission.mutate(object, request);
  return { object, causes: admission.validate(object, request) };
}

/** Admits an update of `old` (itself admitted first, as the server stored it) to `next`. */
export function admitUpdate(old: object, change: (o: Obj) => void, options: Omit<AdmitOptions, 'old' | 'operation'> = {}): Admitted {
  const created = admit(old, options);
  if (created.causes.length > 0) throw new Error(`the old object is invalid: ${JSON.stringify(created.causes)}`);
  const next = clone(created.object);
  change(next);
  return admit(next, { ...options, operation: 'UPDATE', old: created.object });
}

/** `field: message` of each cause, the way kubectl lists them. */
export const described = (causes: Cause[]): string[] => causes.map((c) => `${c.field}: ${c.message}`);

export const pod = (spec: object, metadata: object = {}): Obj => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', ...metadata }, spec }) as Obj;

export const deployment = (spec: object = {}): Obj =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
      ...spec,
    },
  }) as Obj;
