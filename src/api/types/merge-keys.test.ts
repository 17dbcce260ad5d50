import type * as t from 'io-ts';
import type { JsonSchema } from '../schema';
import { schemaOf } from '../schema-of';
import { CronJob, Deployment, Job, Namespace, Node, Pod, ReplicaSet, Service } from '.';

/** The schema at a dotted path; `[]` steps into array items, `{}` into map values. */
function at(codec: t.Mixed, path: string): JsonSchema {
  let schema = schemaOf(codec);
  for (const step of path.split('.')) {
    const [field, ...suffixes] = step.split(/(?=\[\]|\{\})/);
    if (field) schema = schema.properties?.[field] ?? fail(`no ${field} in ${path}`);
    for (const suffix of suffixes) {
      const next = suffix === '[]' ? schema.items : schema.additionalProperties;
      if (typeof next !== 'object') return fail(`no ${suffix} in ${path}`);
      schema = next;
    }
  }
  return schema;
}

function fail(message: string): never {
  throw new Error(message);
}

/** The strategic-merge-patch and server-side-apply facts of a schema node. */
/** Table rows named by kind rather than by the printed codec. */
const named = <R extends readonly [t.Mixed, string, ...unknown[]]>(rows: R[]) => rows.map((row) => [`${row[0].name} ${row[1]}`, ...row] as const);

const listFacts = (s: JsonSchema) => ({
  strategy: s['x-kubernetes-patch-strategy'],
  key: s['x-kubernetes-patch-merge-key'],
  listType: s['x-kubernetes-list-type'],
  mapKeys: s['x-kubernetes-list-map-keys'],
});

const merged = (key: string, mapKeys = [key], strategy = 'merge') => ({ strategy, key, listType: 'map', mapKeys });
const podSpec = 'spec';
const template = 'spec.template.spec';

describe('strategic merge patch metadata in the schemas (K8S-WIRE.md §5.2)', () => {
  it.each(
    named([
    [Pod, `${podSpec}.containers`, merged('name')],
    [Pod, `${podSpec}.initContainers`, merged('name')],
    [Pod, `${podSpec}.ephemeralContainers`, merged('name')],
    [Pod, `${podSpec}.containers[].ports`, merged('containerPort', ['containerPort', 'protocol'])],
    [Pod, `${podSpec}.containers[].env`, merged('name')],
    [Pod, `${podSpec}.containers[].volumeMounts`, merged('mountPath')],
    [Pod, `${podSpec}.containers[].volumeDevices`, merged('devicePath')],
    [Pod, `${podSpec}.initContainers[].env`, merged('name')],
    [Pod, `${podSpec}.volumes`, merged('name', ['name'], 'merge,retainKeys')],
    [Pod, `${podSpec}.imagePullSecrets`, merged('name')],
    [Pod, `${podSpec}.hostAliases`, merged('ip')],
    [Pod, `${podSpec}.schedulingGates`, merged('name')],
    [Pod, `${podSpec}.resourceClaims`, merged('name', ['name'], 'merge,retainKeys')],
    [Pod, `${podSpec}.topologySpreadConstraints`, merged('topologyKey', ['topologyKey', 'whenUnsatisfiable'])],
    [Deployment, `${template}.containers`, merged('name')],
    [Deployment, `${template}.containers[].ports`, merged('containerPort', ['containerPort', 'protocol'])],
    [Deployment, `${template}.volumes`, merged('name', ['name'], 'merge,retainKeys')],
    [ReplicaSet, `${template}.containers[].env`, merged('name')],
    [Job, `${template}.containers`, merged('name')],
    [CronJob, 'spec.jobTemplate.spec.template.spec.containers[].volumeMounts', merged('mountPath')],
    [Service, 'spec.ports', merged('port', ['port', 'protocol'])],
    [Deployment, 'metadata.ownerReferences', merged('uid')],
    [Pod, 'status.conditions', merged('type')],
    [Deployment, 'status.conditions', merged('type')],
    [ReplicaSet, 'status.conditions', merged('type')],
    [Node, 'status.conditions', merged('type')],
    [Node, 'status.addresses', { strategy: 'merge', key: 'type', listType: 'atomic', mapKeys: undefined }],
    [Namespace, 'status.conditions', merged('type')],
    [Service, 'status.conditions', merged('type')],
    ]),
  )('%s merges on its key', (_, codec, path, facts) => {
    expect(listFacts(at(codec, path))).toEqual(facts);
  });

  it('merges finalizers as a set', () => {
    expect(listFacts(at(Pod, 'metadata.finalizers'))).toEqual({ strategy: 'merge', key: undefined, listType: 'set', mapKeys: undefined });
  });

  it('replaces a Deployment strategy member by member with retainKeys', () => {
    expect(at(Deployment, 'spec.strategy')['x-kubernetes-patch-strategy']).toBe('retainKeys');
  });

  it('merges job conditions on type but lets server-side apply own them whole, as upstream', () => {
    expect(listFacts(at(Job, 'status.conditions'))).toEqual({ strategy: 'merge', key: 'type', listType: 'atomic', mapKeys: undefined });
  });

  it.each(
    named([
    [Pod, `${podSpec}.tolerations`],
    [Pod, `${podSpec}.containers[].command`],
    [Pod, `${podSpec}.containers[].args`],
    [Pod, `${podSpec}.containers[].envFrom`],
    [Pod, 'status.containerStatuses'],
    [Service, 'spec.externalIPs'],
    [Node, 'spec.taints'],
    ]),
  )('%s is replaced whole (atomic, no strategy)', (_, codec, path) => {
    expect(listFacts(at(codec, path))).toEqual({ strategy: undefined, key: undefined, listType: 'atomic', mapKeys: undefined });
  });

  it('marks selectors that server-side apply owns whole as atomic maps', () => {
    expect(at(Pod, `${podSpec}.nodeSelector`)['x-kubernetes-map-type']).toBe('atomic');
    expect(at(Service, 'spec.selector')['x-kubernetes-map-type']).toBe('atomic');
    expect(at(Deployment, 'spec.selector')['x-kubernetes-map-type']).toBe('atomic');
  });

  it('describes ports that take a number or a name as int-or-string, and resources as quantities', () => {
    expect(at(Service, 'spec.ports[].targetPort')['x-kubernetes-int-or-string']).toBe(true);
    expect(at(Deployment, 'spec.strategy.rollingUpdate.maxSurge')['x-kubernetes-int-or-string']).toBe(true);
    expect(at(Pod, `${podSpec}.containers[].readinessProbe.httpGet.port`)['x-kubernetes-int-or-string']).toBe(true);
    expect(at(Pod, `${podSpec}.containers[].resources.limits{}`)).toMatchObject({ format: 'quantity' });
  });

  it('carries descriptions for kubectl explain', () => {
    expect(schemaOf(Deployment).description).toMatch(/Deployment/);
    expect(at(Deployment, 'spec.replicas').description).toMatch(/desired pods/);
    expect(at(Pod, `${podSpec}.containers[].image`).description).toMatch(/image/i);
    expect(at(Pod, 'metadata.labels').description).toBeTruthy();
  });

  it('requires what upstream requires', () => {
    expect(at(Pod, `${podSpec}`).required).toEqual(['containers']);
    expect(at(Pod, `${podSpec}.containers[]`).required).toEqual(['name']);
    expect(at(Deployment, 'spec').required).toEqual(['selector', 'template']);
    expect(at(Service, 'spec.ports[]').required).toEqual(['port']);
    expect(schemaOf(Deployment).required).toEqual(['metadata']);
  });
});
