/**
 * A tiny API server on 127.0.0.1 that records what kubectl sends: it answers discovery (aggregated
 * v2, §1.2 of K8S-WIRE), decodes every request body (protobuf through the decoder under test, JSON
 * as is) and answers a POST with 201 and the decoded object, or with the decoder's error as a Status. Enough of
 * a node and its pod is served for `kubectl drain` to evict (or delete) the pod.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, BadRequest, NotFound } from '../../src/api/errors';
import { decodeProtobufBody, protobufContentType } from '../../src/apiserver/protobuf';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType: string;
  body: Buffer;
  /** What the server made of the body, or the error it answered with. */
  decoded?: unknown;
  error?: ApiError;
}

export interface RecordingServer {
  url: string;
  requests: RecordedRequest[];
  posts(): RecordedRequest[];
  close(): Promise<void>;
}

type Scope = 'Namespaced' | 'Cluster';

const resource = (group: string, kind: string, plural: string, scope: Scope, subresources: unknown[] = []): unknown => ({
  resource: plural,
  singularResource: kind.toLowerCase(),
  scope,
  responseKind: { group, version: 'v1', kind },
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  subresources,
});

const discoveryList = (items: unknown[]): unknown => ({ kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items });
const group = (name: string, resources: unknown[]): unknown => ({ metadata: { name }, versions: [{ version: 'v1', freshness: 'Current', resources }] });

const coreDiscovery = discoveryList([
  group('', [
    resource('', 'Namespace', 'namespaces', 'Cluster'),
    resource('', 'ConfigMap', 'configmaps', 'Namespaced'),
    resource('', 'Secret', 'secrets', 'Namespaced'),
    resource('', 'Service', 'services', 'Namespaced'),
    resource('', 'ServiceAccount', 'serviceaccounts', 'Namespaced'),
    resource('', 'ResourceQuota', 'resourcequotas', 'Namespaced'),
    resource('', 'Node', 'nodes', 'Cluster'),
    resource('', 'Pod', 'pods', 'Namespaced', [
      { subresource: 'eviction', responseKind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] },
    ]),
  ]),
]);

const groupsDiscovery = discoveryList([
  group('apps', [resource('apps', 'Deployment', 'deployments', 'Namespaced')]),
  group('batch', [resource('batch', 'Job', 'jobs', 'Namespaced'), resource('batch', 'CronJob', 'cronjobs', 'Namespaced')]),
  group('policy', [resource('policy', 'PodDisruptionBudget', 'poddisruptionbudgets', 'Namespaced')]),
  group('scheduling.k8s.io', [resource('scheduling.k8s.io', 'PriorityClass', 'priorityclasses', 'Cluster')]),
]);

const legacyCoreResources = {
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion: 'v1',
  resources: [
    { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['create', 'delete', 'get', 'list'] },
    { name: 'pods/eviction', singularName: '', namespaced: true, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] },
  ],
};

const node = (name: string, unschedulable: boolean): unknown => ({
  kind: 'Node',
  apiVersion: 'v1',
  metadata: { name, uid: `uid-${name}`, resourceVersion: '1', creationTimestamp: '2024-01-01T00:00:00Z' },
  spec: unschedulable ? { unschedulable: true } : {},
  status: {},
});

const pod = (namespace: string, name: string, nodeName: string): unknown => ({
  kind: 'Pod',
  apiVersion: 'v1',
  metadata: {
    name,
    namespace,
    uid: `uid-${name}`,
    resourceVersion: '1',
    creationTimestamp: '2024-01-01T00:00:00Z',
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'uid-rs', controller: true }],
  },
  spec: { nodeName, containers: [{ name: 'app', image: 'busybox' }] },
  status: { phase: 'Running' },
});

function decode(request: RecordedRequest): unknown {
  if (request.contentType.startsWith(protobufContentType)) return decodeProtobufBody(request.body);
  try {
    return JSON.parse(request.body.toString('utf8'));
  } catch {
    throw new BadRequest('the body is neither protobuf nor JSON');
  }
}

/** `objects` are served as they are on GET of their path (a CronJob for `create job --from`...). */
export async function startRecordingServer(objects: Record<string, unknown> = {}): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const evicted = new Set<string>();
  let cordoned = false;

  const route = (request: RecordedRequest): [number, unknown, string?] => {
    const { method, path } = request;
    if (method === 'GET' && path === '/version') {
      return [200, { major: '1', minor: '32', gitVersion: 'v1.32.4', gitCommit: 'berth', gitTreeState: 'clean', buildDate: '2025-01-01T00:00:00Z', goVersion: 'go1.23', compiler: 'gc', platform: 'linux/amd64' }];
    }
    if (method === 'GET' && (path === '/api' || path === '/apis')) {
      return [200, path === '/api' ? coreDiscovery : groupsDiscovery, 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList'];
    }
    if (method === 'GET' && objects[path] !== undefined) return [200, objects[path]];
    if (method === 'GET' && path === '/api/v1') {
      // kubectl drain looks here for pods/eviction before it evicts (else it deletes).
      return [200, legacyCoreResources];
    }
    if (request.body.length > 0) {
      try {
        request.decoded = decode(request);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        request.error = e;
        return [e.code, e.toStatus()];
      }
    }
    if (method === 'POST') {
      const evictionOf = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/eviction$/.exec(path);
      if (evictionOf) {
        evicted.add(`${evictionOf[1]}/${evictionOf[2]}`);
        return [201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }];
      }
      return [201, request.decoded];
    }
    const nodeOf = /^\/api\/v1\/nodes\/([^/]+)$/.exec(path);
    if (nodeOf && (method === 'GET' || method === 'PATCH')) {
      if (method === 'PATCH') cordoned = true;
      return [200, node(nodeOf[1], cordoned)];
    }
    if (method === 'GET' && path === '/api/v1/pods') {
      const nodeName = request.query.get('fieldSelector')?.replace(/^spec\.nodeName=/, '') ?? '';
      const items = evicted.has('default/web-1-abc') ? [] : [pod('default', 'web-1-abc', nodeName)];
      return [200, { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '2' }, items }];
    }
    const podOf = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)$/.exec(path);
    if (podOf && !evicted.has(`${podOf[1]}/${podOf[2]}`)) {
      if (method === 'DELETE') evicted.add(`${podOf[1]}/${podOf[2]}`);
      if (method === 'GET' || method === 'DELETE') return [200, pod(podOf[1], podOf[2], 'n1')];
    }
    return [404, new NotFound(`${method} ${path} is not served by the recording server`).toStatus()];
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const request: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        contentType: req.headers['content-type'] ?? '',
        body: Buffer.concat(chunks),
      };
      requests.push(request);
      const [code, answer, contentType] = route(request);
      res.writeHead(code, { 'Content-Type': contentType ?? 'application/json' });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    posts: () => requests.filter((r) => r.method === 'POST'),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
