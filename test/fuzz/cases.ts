/**
 * The fuzz cases: for every kind's victim, every verb and subresource that takes a body, a valid
 * baseline body, broken in every way `mutations.ts` knows. Nothing here may be accepted.
 */
import type { FuzzCase } from './harness';
import { badUtf8, Body, deepNesting, hugeStrings, oversized, Path, randomBytes, truncations, wrongTypes, yamlBombs } from './mutations';
import type { JsonSchema } from '../../src/api/schema';
import type { Target } from './seeds';

type Json = Record<string, unknown>;

/** One way of sending a body somewhere, with the valid body it starts from. */
export interface Endpoint {
  name: string;
  method: string;
  path: string;
  contentType: string;
  baseline: unknown;
  /** Content types that must be refused with this method and body. */
  refusedTypes: string[];
  /** The key of a string value whose bytes `badUtf8` corrupts. */
  utf8Key?: string;
  /** The schema of object bodies (the kind's), so that wrongly typed values are really wrong. */
  schema?: JsonSchema;
}

const writeRefused = ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/merge-patch+json', 'application/cbor', ';;;'];
const patchRefused = ['application/json', 'text/plain', 'application/yaml', 'application/apply-patch+cbor', ';;;'];
const deleteRefused = ['text/plain', 'application/xml', 'application/merge-patch+json'];

/** The seed with a generated name, so that every create a server wrongly accepts stores a new object (and none gets a 409 instead). */
const generated = (seed: Json): Json => {
  const { name, ...meta } = seed.metadata as Json;
  return { ...seed, metadata: { ...meta, generateName: `${String(name)}-` } };
};

/** Every endpoint of a target that takes a body. `uid` is the victim's, for delete preconditions. */
export function endpoints(target: Target, uid: string): Endpoint[] {
  const { seed } = target;
  const name = (seed.metadata as { name: string }).name;
  const list: Endpoint[] = [
    { name: `create ${target.kind}`, schema: target.schema, method: 'POST', path: target.collection, contentType: 'application/json', baseline: generated(seed), refusedTypes: writeRefused },
    { name: `update ${target.kind}`, schema: target.schema, method: 'PUT', path: target.item, contentType: 'application/json', baseline: seed, refusedTypes: writeRefused },
    { name: `merge-patch ${target.kind}`, schema: target.schema, method: 'PATCH', path: target.item, contentType: 'application/merge-patch+json', baseline: seed, refusedTypes: patchRefused },
    { name: `apply ${target.kind}`, schema: target.schema, method: 'PATCH', path: `${target.item}?fieldManager=fuzzer&force=true`, contentType: 'application/apply-patch+yaml', baseline: seed, refusedTypes: patchRefused },
    {
      name: `json-patch ${target.kind}`,
      method: 'PATCH',
      path: target.item,
      contentType: 'application/json-patch+json',
      baseline: [
        { op: 'test', path: '/metadata/name', value: name },
        { op: 'replace', path: '/metadata/labels/tier', value: 'db' },
        { op: 'add', path: '/metadata/annotations/fuzzed', value: 'yes' },
        { op: 'remove', path: '/metadata/annotations/example.com~1note' },
        { op: 'copy', from: '/metadata/labels/app', path: '/metadata/labels/copied' },
      ],
      refusedTypes: patchRefused,
      utf8Key: 'op',
    },
    {
      name: `delete ${target.kind}`,
      method: 'DELETE',
      path: target.item,
      contentType: 'application/json',
      baseline: { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0, propagationPolicy: 'Foreground', preconditions: { uid } },
      refusedTypes: deleteRefused,
    },
    {
      name: `deletecollection ${target.kind}`,
      method: 'DELETE',
      path: target.collection,
      contentType: 'application/json',
      baseline: { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0, propagationPolicy: 'Background' },
      refusedTypes: deleteRefused,
    },
  ];
  if (target.strategic) {
    list.push({ name: `strategic-merge-patch ${target.kind}`, schema: target.schema, method: 'PATCH', path: target.item, contentType: 'application/strategic-merge-patch+json', baseline: seed, refusedTypes: patchRefused });
  }
  for (const sub of target.subresources) list.push(...subresourceEndpoints(target, sub));
  return list;
}

function subresourceEndpoints(target: Target, sub: string): Endpoint[] {
  const path = `${target.item}/${sub}`;
  const meta = target.seed.metadata as { name: string; namespace?: string };
  switch (sub) {
    case 'status':
      return [
        { name: `update ${target.kind} status`, schema: target.schema, method: 'PUT', path, contentType: 'application/json', baseline: { ...target.seed, status: target.status }, refusedTypes: writeRefused },
        { name: `merge-patch ${target.kind} status`, schema: target.schema, method: 'PATCH', path, contentType: 'application/merge-patch+json', baseline: { status: target.status }, refusedTypes: patchRefused },
      ];
    case 'scale': {
      const scale = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: meta.name, namespace: meta.namespace }, spec: { replicas: 3 } };
      return [
        { name: `update ${target.kind} scale`, method: 'PUT', path, contentType: 'application/json', baseline: scale, refusedTypes: writeRefused },
        { name: `merge-patch ${target.kind} scale`, method: 'PATCH', path, contentType: 'application/merge-patch+json', baseline: { spec: { replicas: 3 } }, refusedTypes: patchRefused },
      ];
    }
    case 'binding': {
      const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: meta.name }, target: { apiVersion: 'v1', kind: 'Node', name: 'victim' } };
      return [{ name: `bind ${target.kind}`, method: 'POST', path, contentType: 'application/json', baseline: binding, refusedTypes: writeRefused }];
    }
    case 'eviction': {
      const eviction = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: meta.name, namespace: meta.namespace }, deleteOptions: { gracePeriodSeconds: 0 } };
      return [{ name: `evict ${target.kind}`, method: 'POST', path, contentType: 'application/json', baseline: eviction, refusedTypes: writeRefused }];
    }
    case 'finalize': {
      const finalize = { ...target.seed, spec: { finalizers: ['kubernetes'] } };
      return [{ name: `finalize ${target.kind}`, schema: target.schema, method: 'PUT', path, contentType: 'application/json', baseline: finalize, refusedTypes: writeRefused }];
    }
  }
  throw new Error(`no fuzz endpoint for the ${sub} subresource`);
}

const asCases = (endpoint: Endpoint, bodies: Body[], contentType = endpoint.contentType): FuzzCase[] =>
  bodies.map((body) => ({ name: `${endpoint.name}: ${body.name}`, method: endpoint.method, path: endpoint.path, body: body.bytes, contentType }));

/**
 * Bodies broken in form: truncated (at every length when `everyLength`, else about 40 cuts),
 * random, `depth` levels deep, not UTF-8, of a refused content type, YAML bombs for apply.
 */
export function malformedCases(endpoint: Endpoint, seed: number, everyLength: boolean, depth: number): FuzzCase[] {
  const text = JSON.stringify(endpoint.baseline);
  const cases = [
    ...asCases(endpoint, truncations(text, everyLength ? 1 : Math.ceil(text.length / 40))),
    ...asCases(endpoint, randomBytes(seed, 12)),
    ...asCases(endpoint, badUtf8(text, endpoint.utf8Key)),
    ...endpoint.refusedTypes.map((contentType) => ({ name: `${endpoint.name}: sent as ${contentType}`, method: endpoint.method, path: endpoint.path, body: Buffer.from(text), contentType })),
  ];
  if (!Array.isArray(endpoint.baseline)) cases.push(...asCases(endpoint, deepNesting(endpoint.baseline as Record<string, never>, depth)));
  else cases.push(...asCases(endpoint, [{ name: `operations ${depth} deep`, bytes: Buffer.from(`[${'['.repeat(depth)}${']'.repeat(depth)}]`) }]));
  if (endpoint.contentType === 'application/apply-patch+yaml') {
    const document = endpoint.baseline as { apiVersion: string; kind: string };
    cases.push(...asCases(endpoint, yamlBombs(`apiVersion: ${document.apiVersion}\nkind: ${document.kind}`)));
  }
  return cases;
}

/**
 * Bodies past the size limit, and megabyte strings under it where only one value will do (a few
 * endpoints are enough: sizes are judged before anything else).
 */
export function oversizedCases(endpoint: Endpoint): FuzzCase[] {
  const huge = asCases(endpoint, hugeStrings(endpoint.baseline as never));
  return Array.isArray(endpoint.baseline) ? huge : [...huge, ...asCases(endpoint, oversized(endpoint.baseline as Record<string, never>))];
}

/**
 * The baseline with a value of the wrong type at each path `pick` allows (all by default),
 * `perPath` types each, but never one the kind's schema takes there.
 */
export function wrongTypeCases(endpoint: Endpoint, perPath = 2, pick?: (path: Path) => boolean): FuzzCase[] {
  const accepts = endpoint.schema ? schemaAccepts(endpoint.schema) : undefined;
  return asCases(endpoint, wrongTypes(endpoint.baseline as never, { perPath, pick, accepts }));
}

/** Whether the schema takes `value` at `path`: int-or-string fields take both, preserved fields anything. */
function schemaAccepts(root: JsonSchema): (path: Path, value: unknown) => boolean {
  return (path, value) => {
    let node: JsonSchema | undefined = root;
    for (const key of path) {
      if (!node || node['x-kubernetes-preserve-unknown-fields']) return true;
      if (typeof key === 'number') node = node.items;
      else node = node.properties?.[key] ?? (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined);
    }
    if (!node) return false;
    return Boolean(node['x-kubernetes-int-or-string']) && (typeof value === 'number' || typeof value === 'string');
  };
}
