/**
 * Admission through a real API server on both store backends: what a bare manifest comes back
 * as, how bad objects are refused (one 422 naming every bad field), custom resources checked
 * against their CRD's schema, and defaults kept across a PUT that leaves them out.
 */
import { backends, startTestApiServer, stopSharedEtcd, TestApiServer } from '../support/api-server';
import { request } from '../support/http';
import { waitFor } from '../support/ports';

afterAll(stopSharedEtcd);

const bareDeployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
  },
};

/** The spec a Kubernetes 1.32 server answers for `bareDeployment` (upstream's apps/v1 and core/v1 defaults). */
const upstreamDeploymentSpec = {
  progressDeadlineSeconds: 600,
  replicas: 1,
  revisionHistoryLimit: 10,
  selector: { matchLabels: { app: 'web' } },
  strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
  template: {
    metadata: { labels: { app: 'web' } },
    spec: {
      containers: [
        {
          image: 'nginx',
          imagePullPolicy: 'Always',
          name: 'web',
          resources: {},
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
        },
      ],
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      terminationGracePeriodSeconds: 30,
    },
  },
};

const widgetCrd = {
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
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['size'],
                properties: {
                  size: { type: 'string', enum: ['small', 'large'] },
                  replicas: { type: 'integer', minimum: 1, default: 1 },
                },
              },
            },
          },
        },
      },
    ],
  },
};

describe.each(backends)('admission through the API server over %s', (backend) => {
  let api: TestApiServer;
  const deployments = () => `${api.url}/apis/apps/v1/namespaces/default/deployments`;
  const pods = () => `${api.url}/api/v1/namespaces/default/pods`;

  beforeAll(async () => {
    api = await startTestApiServer(backend);
  });
  afterAll(() => api.stop());

  it('answers a bare Deployment with the defaults a Kubernetes server sets', async () => {
    const created = await request('POST', deployments(), bareDeployment);
    expect(created.status).toBe(201);
    expect(created.body.spec).toEqual(upstreamDeploymentSpec);
    const stored = await request('GET', `${deployments()}/web`);
    expect(stored.body.spec).toEqual(upstreamDeploymentSpec);
  });

  it('gives back on PUT the defaults the body left out, without a new generation', async () => {
    const current = (await request('GET', `${deployments()}/web`)).body;
    const replaced = await request('PUT', `${deployments()}/web`, { ...bareDeployment, metadata: { ...bareDeployment.metadata, resourceVersion: current.metadata.resourceVersion } });
    expect(replaced.status).toBe(200);
    expect(replaced.body.spec).toEqual(upstreamDeploymentSpec);
    expect(replaced.body.metadata.generation).toBe(current.metadata.generation);
  });

  it('refuses a Pod with two bad fields in one 422 Invalid naming both', async () => {
    const r = await request('POST', pods(), {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'bad' },
      spec: { containers: [{ name: 'web', ports: [{ containerPort: 70000 }] }] },
    });
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Invalid',
      code: 422,
      message:
        'Pod "bad" is invalid: [spec.containers[0].image: Required value, spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive]',
      details: {
        name: 'bad',
        kind: 'Pod',
        causes: [
          { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers[0].image' },
          { reason: 'FieldValueInvalid', message: 'Invalid value: 70000: must be between 1 and 65535, inclusive', field: 'spec.containers[0].ports[0].containerPort' },
        ],
      },
    });
    expect((await request('GET', `${pods()}/bad`)).status).toBe(404);
  });

  it('answers a wrongly typed body with a 422 naming the field, never a 500', async () => {
    const r = await request('POST', deployments(), { ...bareDeployment, metadata: { name: 'typed' }, spec: { ...bareDeployment.spec, replicas: 'three', template: 'none' } });
    expect(r.status).toBe(422);
    expect(r.body.details.causes).toEqual([
      { reason: 'FieldValueTypeInvalid', message: 'Invalid value: "none": spec.template in body must be of type object: "string"', field: 'spec.template' },
      { reason: 'FieldValueTypeInvalid', message: 'Invalid value: "three": spec.replicas in body must be of type integer: "string"', field: 'spec.replicas' },
    ]);
  });

  it('refuses a change of a pod spec beyond what upstream allows, and binds only through binding', async () => {
    const created = await request('POST', pods(), { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } });
    expect(created.status).toBe(201);
    const patched = await request('PATCH', `${pods()}/p`, { spec: { nodeName: 'n1' } }, { headers: { 'Content-Type': 'application/merge-patch+json' } });
    expect(patched.status).toBe(422);
    expect(patched.body.details.causes[0]).toMatchObject({ reason: 'FieldValueForbidden', field: 'spec' });
    const image = await request('PATCH', `${pods()}/p`, { spec: { containers: [{ name: 'web', image: 'nginx:1.28' }] } }, { headers: { 'Content-Type': 'application/strategic-merge-patch+json' } });
    expect(image.status).toBe(200);
    expect(image.body.spec.containers[0].image).toBe('nginx:1.28');
  });

  it('rejects a custom object that violates its CRD schema, with the path, and defaults a valid one', async () => {
    const crd = await request('POST', `${api.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions`, widgetCrd);
    expect(crd.status).toBe(201);
    const widgets = `${api.url}/apis/example.com/v1/namespaces/default/widgets`;
    await waitFor('the Widget kind to be served', async () => ((await request('GET', widgets)).status === 200 ? true : undefined));
    const bad = await request('POST', widgets, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 'huge', replicas: 0 } });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toBe(
      'Widget.example.com "w" is invalid: [spec.size: Unsupported value: "huge": supported values: "small", "large", spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1]',
    );
    expect(bad.body.details.causes.map((c: { field: string }) => c.field)).toEqual(['spec.size', 'spec.replicas']);
    const good = await request('POST', widgets, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 'small' } });
    expect(good.status).toBe(201);
    expect(good.body.spec).toEqual({ size: 'small', replicas: 1 });
  });

  it('rejects a CustomResourceDefinition that validateCustomResourceDefinition refuses', async () => {
    const r = await request('POST', `${api.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions`, {
      ...widgetCrd,
      metadata: { name: 'gadgets.example.com' },
      spec: { ...widgetCrd.spec, names: { plural: 'widgets', kind: 'Widget' } },
    });
    expect(r.status).toBe(422);
    expect(r.body.details.causes).toEqual([expect.objectContaining({ field: 'metadata.name', message: 'Invalid value: "gadgets.example.com": must be spec.names.plural+"."+spec.group' })]);
  });
});
