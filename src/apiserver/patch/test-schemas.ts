/**
 * Small hand-written schemas in the shape of apps/v1 Deployment and v1 ConfigMap, for the patch
 * tests. They carry the same list strategies and merge keys as the upstream types (see
 * K8S-WIRE §5.2); the generated schemas replace them in the server.
 */
import type { JsonSchema } from '../../api/schema';

const string: JsonSchema = { type: 'string' };
const integer: JsonSchema = { type: 'integer' };
const intOrString: JsonSchema = { 'x-kubernetes-int-or-string': true };
const stringMap: JsonSchema = { type: 'object', additionalProperties: string };

function object(properties: Record<string, JsonSchema>, extra: Partial<JsonSchema> = {}): JsonSchema {
  return { type: 'object', properties, ...extra };
}

/** A list merged by `key` in strategic merge patch and a list-map on `keys` for apply. */
function keyedList(items: JsonSchema, key: string, keys: string[] = [key], strategy = 'merge'): JsonSchema {
  return {
    type: 'array',
    items,
    'x-kubernetes-patch-strategy': strategy,
    'x-kubernetes-patch-merge-key': key,
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': keys,
  };
}

const atomicStrings: JsonSchema = { type: 'array', items: string, 'x-kubernetes-list-type': 'atomic' };

export const objectMetaSchema: JsonSchema = object({
  name: string,
  generateName: string,
  namespace: string,
  uid: string,
  resourceVersion: string,
  generation: integer,
  creationTimestamp: string,
  deletionTimestamp: string,
  labels: stringMap,
  annotations: stringMap,
  finalizers: { type: 'array', items: string, 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'set' },
  ownerReferences: keyedList(
    object({ apiVersion: string, kind: string, name: string, uid: string, controller: { type: 'boolean' } }),
    'uid',
  ),
  managedFields: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
});

const envVar = object({
  name: string,
  value: string,
  valueFrom: object({ fieldRef: object({ fieldPath: string }, { 'x-kubernetes-map-type': 'atomic' }) }),
});

const containerPort = object({
  name: string,
  containerPort: integer,
  protocol: { type: 'string', default: 'TCP' },
});

const container = object({
  name: string,
  image: string,
  command: atomicStrings,
  args: atomicStrings,
  env: keyedList(envVar, 'name'),
  ports: keyedList(containerPort, 'containerPort', ['containerPort', 'protocol']),
  volumeMounts: keyedList(object({ name: string, mountPath: string }), 'mountPath'),
  resources: object({
    limits: { type: 'object', additionalProperties: intOrString },
    requests: { type: 'object', additionalProperties: intOrString },
  }),
});

const volume = object({
  name: string,
  emptyDir: object({ medium: string }),
  configMap: object({ name: string }),
});

export const podSpecSchema: JsonSchema = object({
  containers: keyedList(container, 'name'),
  initContainers: keyedList(container, 'name'),
  volumes: keyedList(volume, 'name', ['name'], 'merge,retainKeys'),
  nodeSelector: { ...stringMap, 'x-kubernetes-map-type': 'atomic' },
  tolerations: { type: 'array', items: object({ key: string, operator: string, effect: string }), 'x-kubernetes-list-type': 'atomic' },
  restartPolicy: string,
});

const condition = object({ type: string, status: string, reason: string, message: string });

export const deploymentSchema: JsonSchema = object({
  apiVersion: string,
  kind: string,
  metadata: objectMetaSchema,
  spec: object({
    replicas: integer,
    selector: object({ matchLabels: stringMap }, { 'x-kubernetes-map-type': 'atomic' }),
    strategy: object(
      { type: string, rollingUpdate: object({ maxSurge: intOrString, maxUnavailable: intOrString }) },
      { 'x-kubernetes-patch-strategy': 'retainKeys' },
    ),
    template: object({ metadata: objectMetaSchema, spec: podSpecSchema }),
  }),
  status: object({
    replicas: integer,
    observedGeneration: integer,
    conditions: keyedList(condition, 'type'),
  }),
});

export const configMapSchema: JsonSchema = object({
  apiVersion: string,
  kind: string,
  metadata: objectMetaSchema,
  data: stringMap,
});

/** A custom resource whose spec keeps whatever it is given. */
export const widgetSchema: JsonSchema = object({
  apiVersion: string,
  kind: string,
  metadata: objectMetaSchema,
  spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
});
