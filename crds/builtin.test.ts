import * as t from 'io-ts';
import type { JsonSchema } from '../src/api/schema';
import { schemaOf } from '../src/api/schema-of';
import * as types from '../src/api/types';
import { builtinKind, builtinKinds, findResource, groupVersion, inCategory, resolveResource } from '.';
import { structuralSchemaProblems } from './structural-schema';

/**
 * Kinds that are request bodies, not resources of their own: of subresources, and the access
 * reviews, which are answered at once and never stored (src/apiserver/reviews.ts).
 */
const REQUEST_BODIES = [
  'Binding',
  'Scale',
  'Eviction',
  'SubjectAccessReview',
  'LocalSubjectAccessReview',
  'SelfSubjectAccessReview',
  'SelfSubjectRulesReview',
  'SelfSubjectReview',
];

/** Every exported codec that is a top-level kind: its schema fixes apiVersion and kind. */
const kindCodecs = Object.entries(types).filter(([, value]) => {
  if (!(value instanceof t.Type)) return false;
  const properties = schemaOf(value as t.Mixed).properties;
  return properties?.apiVersion?.enum?.length === 1 && properties?.kind?.enum?.length === 1;
}) as [string, t.Mixed][];

/** The schema node a simple JSONPath (as printer columns use) points at, or undefined. */
function resolve(schema: JsonSchema, jsonPath: string): JsonSchema | undefined {
  let node: JsonSchema | undefined = schema;
  for (const [, field, index] of jsonPath.matchAll(/\.([A-Za-z0-9_-]+)|\[([^\]]+)\]/g)) {
    if (!node) return undefined;
    if (field) node = node.properties?.[field] ?? (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined);
    else if (index) node = node.items;
  }
  return node;
}

describe('built-in declarations', () => {
  it('declare every kind codec except the request bodies, and nothing else', () => {
    const declared = builtinKinds.map((d) => d.kind).sort();
    const codecs = kindCodecs.map(([name]) => name).filter((name) => !REQUEST_BODIES.includes(name));
    expect(declared).toEqual(codecs.sort());
  });

  it.each(builtinKinds.map((d) => [d.kind, d] as const))('%s: schema is schemaOf its codec, and names agree with it', (_, decl) => {
    expect(decl.schema).toEqual(schemaOf(decl.codec));
    const { apiVersion, kind } = decl.schema.properties!;
    expect(apiVersion.enum).toEqual([groupVersion(decl)]);
    expect(kind.enum).toEqual([decl.kind]);
    expect(decl.listKind).toBe(`${decl.kind}List`);
    expect(decl.builtin).toBe(true);
  });

  it.each(builtinKinds.map((d) => [d.kind, d] as const))('%s: has a status subresource exactly when its schema has a status', (_, decl) => {
    expect(Boolean(decl.subresources.status)).toBe(Boolean(decl.schema.properties!.status));
  });

  it.each(builtinKinds.flatMap((d) => d.printerColumns.map((c) => [`${d.kind} ${c.name}`, d, c.jsonPath] as const)))(
    '%s column reads a field the schema has',
    (_, decl, jsonPath) => {
      expect(resolve(decl.schema, jsonPath)).toBeDefined();
    },
  );

  it.each(builtinKinds.map((d) => [d.kind, d] as const))('%s: schema is structural (every node typed, arrays with items)', (_, decl) => {
    const problems = structuralSchemaProblems(decl.schema, 'schema').filter((c) => c.field !== 'schema.properties[metadata]');
    expect(problems).toEqual([]);
  });

  it('scales Deployments, ReplicaSets, StatefulSets and ReplicationControllers through integer replicas fields', () => {
    const scalable = [['apps', 'Deployment'], ['apps', 'ReplicaSet'], ['apps', 'StatefulSet'], ['', 'ReplicationController']];
    for (const decl of scalable.map(([group, kind]) => builtinKind(group, 'v1', kind)!)) {
      expect(decl.subresources.scale).toEqual({
        specReplicasPath: '.spec.replicas',
        statusReplicasPath: '.status.replicas',
        labelSelectorPath: '.status.selector',
      });
      expect(resolve(decl.schema, decl.subresources.scale!.specReplicasPath)!.type).toBe('integer');
      expect(resolve(decl.schema, decl.subresources.scale!.statusReplicasPath)!.type).toBe('integer');
    }
    expect(builtinKinds.filter((d) => d.subresources.scale).map((d) => d.kind)).toEqual(['ReplicationController', 'ReplicaSet', 'Deployment', 'StatefulSet']);
  });

  it.each([
    ['Namespace', 'namespaces', ['ns'], [], 'Cluster'],
    ['Node', 'nodes', ['no'], [], 'Cluster'],
    ['Pod', 'pods', ['po'], ['all'], 'Namespaced'],
    ['Service', 'services', ['svc'], ['all'], 'Namespaced'],
    ['Endpoints', 'endpoints', ['ep'], [], 'Namespaced'],
    ['Event', 'events', ['ev'], [], 'Namespaced'],
    ['ConfigMap', 'configmaps', ['cm'], [], 'Namespaced'],
    ['Secret', 'secrets', [], [], 'Namespaced'],
    ['ReplicaSet', 'replicasets', ['rs'], ['all'], 'Namespaced'],
    ['Deployment', 'deployments', ['deploy'], ['all'], 'Namespaced'],
    ['Job', 'jobs', [], ['all'], 'Namespaced'],
    ['CronJob', 'cronjobs', ['cj'], ['all'], 'Namespaced'],
    ['Lease', 'leases', [], [], 'Namespaced'],
    ['ReplicationController', 'replicationcontrollers', ['rc'], ['all'], 'Namespaced'],
    ['PersistentVolumeClaim', 'persistentvolumeclaims', ['pvc'], [], 'Namespaced'],
    ['PersistentVolume', 'persistentvolumes', ['pv'], [], 'Cluster'],
    ['DaemonSet', 'daemonsets', ['ds'], ['all'], 'Namespaced'],
    ['StatefulSet', 'statefulsets', ['sts'], ['all'], 'Namespaced'],
    ['Ingress', 'ingresses', ['ing'], [], 'Namespaced'],
    ['EndpointSlice', 'endpointslices', [], [], 'Namespaced'],
    ['ServiceAccount', 'serviceaccounts', ['sa'], [], 'Namespaced'],
    ['ResourceQuota', 'resourcequotas', ['quota'], [], 'Namespaced'],
    ['LimitRange', 'limitranges', ['limits'], [], 'Namespaced'],
    ['PodDisruptionBudget', 'poddisruptionbudgets', ['pdb'], [], 'Namespaced'],
    ['CustomResourceDefinition', 'customresourcedefinitions', ['crd', 'crds'], ['api-extensions'], 'Cluster'],
    ['Role', 'roles', [], [], 'Namespaced'],
    ['ClusterRole', 'clusterroles', [], [], 'Cluster'],
    ['RoleBinding', 'rolebindings', [], [], 'Namespaced'],
    ['ClusterRoleBinding', 'clusterrolebindings', [], [], 'Cluster'],
  ])('%s is %s with upstream short names %p and categories %p', (kind, plural, shortNames, categories, scope) => {
    const decl = builtinKinds.find((d) => d.kind === kind)!;
    expect({ plural: decl.plural, shortNames: decl.shortNames, categories: decl.categories, scope: decl.scope }).toEqual({
      plural,
      shortNames,
      categories,
      scope,
    });
  });

  it('follows upstream name rules: labels for namespaces, RFC 1035 for services, path segments for RBAC, subdomains otherwise', () => {
    const rules = Object.fromEntries(builtinKinds.filter((d) => d.nameRule).map((d) => [d.kind, d.nameRule]));
    expect(rules).toEqual({
      Namespace: 'dns1123-label',
      Service: 'dns1035-label',
      Role: 'path-segment',
      ClusterRole: 'path-segment',
      RoleBinding: 'path-segment',
      ClusterRoleBinding: 'path-segment',
    });
  });

  it('declares upstream printer columns (Name implied first)', () => {
    const columns = (kind: string) => builtinKinds.find((d) => d.kind === kind)!.printerColumns.map((c) => (c.priority ? `(${c.name})` : c.name));
    expect(columns('Pod')).toEqual(['Ready', 'Status', 'Restarts', 'Age', '(IP)', '(Node)', '(Nominated Node)', '(Readiness Gates)']);
    expect(columns('Deployment')).toEqual(['Ready', 'Up-to-date', 'Available', 'Age', '(Containers)', '(Images)', '(Selector)']);
    expect(columns('ReplicaSet')).toEqual(['Desired', 'Current', 'Ready', 'Age', '(Containers)', '(Images)', '(Selector)']);
    expect(columns('Service')).toEqual(['Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', '(Selector)']);
    expect(columns('Namespace')).toEqual(['Status', 'Age']);
    expect(columns('Job')).toEqual(['Status', 'Completions', 'Duration', 'Age', '(Containers)', '(Images)', '(Selector)']);
    expect(columns('CronJob')).toEqual(['Schedule', 'Timezone', 'Suspend', 'Active', 'Last Schedule', 'Age', '(Containers)', '(Images)', '(Selector)']);
    expect(columns('ReplicationController')).toEqual(['Desired', 'Current', 'Ready', 'Age', '(Containers)', '(Images)', '(Selector)']);
    expect(columns('PersistentVolumeClaim')).toEqual(['Status', 'Volume', 'Capacity', 'Access Modes', 'StorageClass', 'VolumeAttributesClass', 'Age', '(VolumeMode)']);
    expect(columns('PersistentVolume')).toEqual([
      'Capacity',
      'Access Modes',
      'Reclaim Policy',
      'Status',
      'Claim',
      'StorageClass',
      'VolumeAttributesClass',
      'Reason',
      'Age',
      '(VolumeMode)',
    ]);
    expect(columns('DaemonSet')).toEqual(['Desired', 'Current', 'Ready', 'Up-to-date', 'Available', 'Node Selector', 'Age', '(Containers)', '(Images)', '(Selector)']);
    expect(columns('StatefulSet')).toEqual(['Ready', 'Age', '(Containers)', '(Images)']);
    expect(columns('Ingress')).toEqual(['Class', 'Hosts', 'Address', 'Ports', 'Age']);
    expect(columns('EndpointSlice')).toEqual(['AddressType', 'Ports', 'Endpoints', 'Age']);
    expect(columns('ClusterRole')).toEqual(['Created At']);
    expect(columns('RoleBinding')).toEqual(['Role', 'Age', '(Users)', '(Groups)', '(ServiceAccounts)']);
    expect(columns('ServiceAccount')).toEqual(['Secrets', 'Age']);
    expect(columns('PodDisruptionBudget')).toEqual(['Min Available', 'Max Unavailable', 'Allowed Disruptions', 'Age']);
    expect(columns('ResourceQuota')).toEqual(['Age', 'Request', 'Limit']);
    expect(columns('LimitRange')).toEqual(['Created At']);
  });

  it('warns about exactly the kinds nothing acts on yet', () => {
    const unmanaged = builtinKinds.filter((d) => d.unmanaged).map((d) => d.kind);
    expect(unmanaged).toEqual([
      'ReplicationController',
      'PersistentVolumeClaim',
      'PersistentVolume',
      'ServiceAccount',
      'ResourceQuota',
      'LimitRange',
      'DaemonSet',
      'StatefulSet',
      'Ingress',
      'PodDisruptionBudget',
      'ClusterRoleBinding',
      'ClusterRole',
      'RoleBinding',
      'Role',
    ]);
    for (const decl of builtinKinds.filter((d) => d.unmanaged)) expect(decl.unmanaged).toMatch(/^berth stores \w+ but .*\byet\b/);
  });

  it('keeps plurals and short names unambiguous', () => {
    const names = builtinKinds.flatMap((d) => [d.plural, ...d.shortNames].map((n) => `${d.group}/${n}`));
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('lookups', () => {
  it.each([
    ['deploy', 'Deployment'],
    ['deployments', 'Deployment'],
    ['deployment', 'Deployment'],
    ['Deployment', 'Deployment'],
    ['deployments.apps', 'Deployment'],
    ['deploy.apps', 'Deployment'],
    ['po', 'Pod'],
    ['crds', 'CustomResourceDefinition'],
    ['pvc', 'PersistentVolumeClaim'],
    ['ing.networking.k8s.io', 'Ingress'],
    ['endpointslices.discovery.k8s.io', 'EndpointSlice'],
    ['sts', 'StatefulSet'],
    ['sa', 'ServiceAccount'],
    ['quota', 'ResourceQuota'],
    ['limits', 'LimitRange'],
    ['pdb.policy', 'PodDisruptionBudget'],
    ['customresourcedefinitions.apiextensions.k8s.io', 'CustomResourceDefinition'],
  ])('resolves %p as kubectl does', (name, kind) => {
    expect(resolveResource(builtinKinds, name).map((d) => d.kind)).toEqual([kind]);
  });

  it('finds nothing for a group the resource is not in', () => {
    expect(resolveResource(builtinKinds, 'deployments.batch')).toEqual([]);
  });

  it('lists the kinds of `kubectl get all`', () => {
    expect(inCategory(builtinKinds, 'all').map((d) => d.plural)).toEqual([
      'pods',
      'replicationcontrollers',
      'services',
      'daemonsets',
      'replicasets',
      'deployments',
      'statefulsets',
      'jobs',
      'cronjobs',
    ]);
  });

  it('finds a resource by group, version and plural, and a built-in by kind with its codec', () => {
    expect(findResource(builtinKinds, 'batch', 'v1', 'cronjobs')!.kind).toBe('CronJob');
    expect(findResource(builtinKinds, 'batch', 'v2', 'cronjobs')).toBeUndefined();
    expect(builtinKind('', 'v1', 'Pod')!.codec).toBe(types.Pod);
  });
});
