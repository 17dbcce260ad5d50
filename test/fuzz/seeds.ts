/**
 * The real kinds' shapes the fuzz bodies are made from, and where each kind is served. Each
 * kind has a victim: an object that exists before the fuzzing starts, so that PUT, PATCH and
 * DELETE reach real objects, and must come through unchanged.
 */
import { builtinKinds, fromCustomResourceDefinition } from '../../crds';
import type { JsonSchema } from '../../src/api/schema';

export interface Target {
  kind: string;
  /** The kind's structural schema: what the server must accept, so what a fuzz body may not send. */
  schema: JsonSchema;
  /** The collection: POST goes here. */
  collection: string;
  /** The victim's path: PUT, PATCH and DELETE go here. */
  item: string;
  /** A full, valid object of the kind (the victim's own body). */
  seed: Record<string, unknown>;
  /** A status the kind has (what status writes send). */
  status?: Record<string, unknown>;
  /** Whether kubectl would send strategic merge patches (built-in kinds). */
  strategic: boolean;
  subresources: string[];
}

const podSpec = {
  containers: [
    {
      name: 'main',
      image: 'nginx:1.25',
      command: ['nginx', '-g', 'daemon off;'],
      ports: [{ containerPort: 80, protocol: 'TCP' }],
      env: [{ name: 'MODE', value: 'fast' }, { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
      resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
      readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 5 },
      volumeMounts: [{ name: 'data', mountPath: '/data' }],
    },
  ],
  volumes: [{ name: 'data', emptyDir: {} }],
  restartPolicy: 'Always',
  nodeSelector: { disk: 'ssd' },
  tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }],
};

const meta = (name: string, namespace?: string) => ({
  name,
  ...(namespace ? { namespace } : {}),
  labels: { app: 'fuzz', tier: 'web' },
  annotations: { 'example.com/note': 'a victim of the fuzzer' },
});

const ns = 'fuzz';
const core = (plural: string) => `/api/v1/namespaces/${ns}/${plural}`;
const group = (gv: string, plural: string) => `/apis/${gv}/namespaces/${ns}/${plural}`;

export const widgetCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: { type: 'object', properties: { size: { type: 'integer' }, color: { type: 'string' }, parts: { type: 'array', items: { type: 'string' } } } },
              status: { type: 'object', properties: { ready: { type: 'boolean' } } },
            },
          },
        },
      },
    ],
  },
};

export const fuzzNamespace = ns;

export function targets(): Target[] {
  const list: Array<Omit<Target, 'item' | 'schema'>> = [
    {
      kind: 'ConfigMap',
      collection: core('configmaps'),
      seed: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('victim', ns), data: { 'app.conf': 'listen 80;', mode: 'fast' } },
      strategic: true,
      subresources: [],
    },
    {
      kind: 'Secret',
      collection: core('secrets'),
      seed: { apiVersion: 'v1', kind: 'Secret', metadata: meta('victim', ns), type: 'Opaque', data: { password: Buffer.from('hunter2').toString('base64') } },
      strategic: true,
      subresources: [],
    },
    {
      kind: 'Pod',
      status: { phase: 'Running', podIP: '10.0.0.7' },
      collection: core('pods'),
      seed: { apiVersion: 'v1', kind: 'Pod', metadata: meta('victim', ns), spec: podSpec },
      strategic: true,
      subresources: ['status', 'binding', 'eviction'],
    },
    {
      kind: 'Service',
      status: { loadBalancer: { ingress: [{ ip: '192.0.2.1' }] } },
      collection: core('services'),
      seed: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta('victim', ns),
        spec: { selector: { app: 'fuzz' }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }], type: 'ClusterIP' },
      },
      strategic: true,
      subresources: ['status'],
    },
    {
      kind: 'Deployment',
      status: { replicas: 2, readyReplicas: 1, observedGeneration: 1 },
      collection: group('apps/v1', 'deployments'),
      seed: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: meta('victim', ns),
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'fuzz' } },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } },
          template: { metadata: { labels: { app: 'fuzz' } }, spec: podSpec },
        },
      },
      strategic: true,
      subresources: ['status', 'scale'],
    },
    {
      kind: 'StatefulSet',
      status: { replicas: 2, readyReplicas: 1, observedGeneration: 1 },
      collection: group('apps/v1', 'statefulsets'),
      seed: {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: meta('victim', ns),
        spec: {
          replicas: 2,
          serviceName: 'victim',
          selector: { matchLabels: { app: 'fuzz' } },
          template: { metadata: { labels: { app: 'fuzz' } }, spec: podSpec },
          volumeClaimTemplates: [{ metadata: { name: 'state' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
        },
      },
      strategic: true,
      subresources: ['status', 'scale'],
    },
    {
      kind: 'Ingress',
      status: { loadBalancer: { ingress: [{ ip: '192.0.2.7' }] } },
      collection: group('networking.k8s.io/v1', 'ingresses'),
      seed: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: meta('victim', ns),
        spec: {
          ingressClassName: 'nginx',
          tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }],
          rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }],
        },
      },
      strategic: true,
      subresources: ['status'],
    },
    {
      kind: 'Job',
      status: { active: 1, startTime: '2024-01-01T00:00:00Z' },
      collection: group('batch/v1', 'jobs'),
      seed: {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: meta('victim', ns),
        spec: { backoffLimit: 3, template: { metadata: { labels: { app: 'fuzz' } }, spec: { ...podSpec, restartPolicy: 'Never' } } },
      },
      strategic: true,
      subresources: ['status'],
    },
    {
      kind: 'CronJob',
      status: { lastScheduleTime: '2024-01-01T00:00:00Z' },
      collection: group('batch/v1', 'cronjobs'),
      seed: {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: meta('victim', ns),
        spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { ...podSpec, restartPolicy: 'OnFailure' } } } } },
      },
      strategic: true,
      subresources: ['status'],
    },
    {
      kind: 'Namespace',
      status: { phase: 'Active' },
      collection: '/api/v1/namespaces',
      seed: { apiVersion: 'v1', kind: 'Namespace', metadata: meta('fuzz-victim') },
      strategic: true,
      subresources: ['status', 'finalize'],
    },
    {
      kind: 'Node',
      status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' }, allocatable: { cpu: '4', memory: '8Gi', pods: '110' } },
      collection: '/api/v1/nodes',
      seed: {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: meta('victim'),
        spec: { taints: [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' }] },
        status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' }, allocatable: { cpu: '4', memory: '8Gi', pods: '110' } },
      },
      strategic: true,
      subresources: ['status'],
    },
    {
      kind: 'Widget',
      status: { ready: true },
      collection: `/apis/example.com/v1/namespaces/${ns}/widgets`,
      seed: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: meta('victim', ns), spec: { size: 3, color: 'red', parts: ['a', 'b'] } },
      strategic: false,
      subresources: ['status'],
    },
  ];
  return list.map((t) => ({ ...t, schema: schemaOf(t.kind), item: `${t.collection}/${(t.seed.metadata as { name: string }).name}` }));
}

function schemaOf(kind: string): JsonSchema {
  if (kind === widgetCrd.spec.names.kind) return fromCustomResourceDefinition(widgetCrd as never)[0].schema;
  return builtinKinds.find((k) => k.kind === kind)!.schema;
}
