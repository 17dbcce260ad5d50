/**
 * What kubectl reads from /openapi: `kubectl explain` of built-in kinds, their fields and a
 * CRD's kind; `kubectl apply` with its default strict validation passing for built-ins and
 * custom objects and reporting unknown fields as upstream does; and the document caching that
 * kubectl's HTTP cache relies on (hash, ETag, redirect of a stale hash). Both backends.
 */
import YAML from 'yaml';
import { backends, startTestApiServer, stopSharedEtcd, TestApiServer } from '../support/api-server';
import { request } from '../support/http';
import { Kubectl } from '../support/kubectl';
import { waitFor } from '../support/ports';

const deployment = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'nginx:1.25' }] } },
    ...spec,
  },
});

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'gadgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            description: 'A Gadget is a thing with a size.',
            properties: {
              spec: {
                type: 'object',
                description: 'What the gadget should be.',
                required: ['size'],
                properties: {
                  size: { type: 'integer', description: 'How big the gadget is, in units.' },
                  color: { type: 'string', enum: ['red', 'green'], description: 'The colour of the gadget.' },
                },
              },
            },
          },
        },
      },
    ],
  },
};

const gadget = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name }, spec });

afterAll(stopSharedEtcd);

describe.each(backends)('kubectl explain and validation over %s', (backend) => {
  let api: TestApiServer;
  let kubectl: Kubectl;

  beforeAll(async () => {
    api = await startTestApiServer(backend);
    kubectl = new Kubectl(api.url);
  });
  afterAll(async () => {
    kubectl.dispose();
    await api.stop();
  });

  it('explains a field of a built-in kind with its description and its fields', async () => {
    const output = await kubectl.ok(['explain', 'deployment.spec.strategy']);
    expect(output).toContain('GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n');
    expect(output).toContain('FIELD: strategy <DeploymentStrategy>');
    expect(output).toMatch(/DESCRIPTION:\n\s+How existing pods are replaced by new ones\./);
    expect(output).toMatch(/rollingUpdate\t<RollingUpdateDeployment>\n\s+Parameters of a rolling update/);
    expect(output).toMatch(/type\t<string>\n\s+enum: Recreate, RollingUpdate\n/);
  });

  it('explains a list field, marking required fields', async () => {
    const output = await kubectl.ok(['explain', 'pod.spec.containers']);
    expect(output).toContain('KIND:       Pod\nVERSION:    v1\n');
    expect(output).toContain('FIELD: containers <[]Container>');
    expect(output).toMatch(/\n  name\t<string> -required-\n/);
    expect(output).toMatch(/\n  image\t<string>\n\s+\S/);
  });

  it('explains a whole kind, and walks fields recursively', async () => {
    const output = await kubectl.ok(['explain', 'deployments']);
    expect(output).toMatch(/DESCRIPTION:\n\s+\S*Deployment/);
    for (const field of ['apiVersion\t<string>', 'kind\t<string>', 'metadata\t<ObjectMeta> -required-', 'spec\t<DeploymentSpec>', 'status\t<DeploymentStatus>']) expect(output).toContain(`\n  ${field}\n`);
    const recursive = await kubectl.ok(['explain', 'cronjob.spec', '--recursive']);
    expect(recursive).toMatch(/\n  jobTemplate\t<JobTemplateSpec> -required-\n    metadata\t<ObjectMeta>\n/);
  });

  it('explains the kinds of the prune allow-list: a DaemonSet spec, Ingress rules, a claim template', async () => {
    const daemonSet = await kubectl.ok(['explain', 'daemonset.spec']);
    expect(daemonSet).toContain('GROUP:      apps\nKIND:       DaemonSet\nVERSION:    v1\n');
    expect(daemonSet).toContain('FIELD: spec <DaemonSetSpec>');
    expect(daemonSet).toMatch(/\n  selector\t<LabelSelector> -required-\n/);
    expect(daemonSet).toMatch(/\n  updateStrategy\t<DaemonSetUpdateStrategy>\n\s+How existing daemon pods are replaced/);
    const rules = await kubectl.ok(['explain', 'ingress.spec.rules']);
    expect(rules).toContain('GROUP:      networking.k8s.io\nKIND:       Ingress\nVERSION:    v1\n');
    expect(rules).toContain('FIELD: rules <[]IngressRule>');
    expect(rules).toMatch(/\n  http\t<HTTPIngressRuleValue>\n/);
    const paths = await kubectl.ok(['explain', 'ing.spec.rules.http.paths']);
    expect(paths).toMatch(/\n  pathType\t<string> -required-\n\s+enum: Exact, ImplementationSpecific, Prefix\n/);
    const claims = await kubectl.ok(['explain', 'sts.spec.volumeClaimTemplates.spec.accessModes']);
    expect(claims).toContain('FIELD: accessModes <[]string>');
  });

  it('says when a field does not exist', async () => {
    const result = await kubectl.run(['explain', 'deployment.spec.nope']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: field "nope" does not exist');
  });

  it('applies a Deployment with strict validation, leaving the validation to the server', async () => {
    expect(await kubectl.ok(['apply', '-f', '-'], { stdin: YAML.stringify(deployment('web')) })).toBe('deployment.apps/web created\n');
    expect(await kubectl.ok(['apply', '-f', '-'], { stdin: YAML.stringify(deployment('web', { replicas: 2 })) })).toBe('deployment.apps/web configured\n');
  });

  it('reports an unknown field of a new object, and of a changed one, as upstream does', async () => {
    const created = await kubectl.run(['apply', '-f', '-'], { stdin: YAML.stringify(deployment('typo', { foo: 1 })) });
    expect(created.code).toBe(1);
    expect(created.stderr).toContain('Error from server (BadRequest): error when creating "STDIN"');
    expect(created.stderr).toContain('strict decoding error: unknown field "spec.foo"');
    const patched = await kubectl.run(['apply', '-f', '-'], { stdin: YAML.stringify(deployment('web', { foo: 1 })) });
    expect(patched.code).toBe(1);
    expect(patched.stderr).toContain('strict decoding error: unknown field "spec.foo"');
    expect((await request('GET', `${api.url}/apis/apps/v1/namespaces/default/deployments/typo`)).status).toBe(404);
  });

  describe('with a custom resource', () => {
    beforeAll(async () => {
      await kubectl.ok(['apply', '-f', '-'], { stdin: YAML.stringify(crd) });
      await kubectl.ok(['wait', '--for=condition=Established', 'crd/gadgets.example.com', '--timeout=20s']);
    });

    it("explains the CRD's kind from its schema", async () => {
      const output = await kubectl.ok(['explain', 'gadgets']);
      expect(output).toContain('GROUP:      example.com\nKIND:       Gadget\nVERSION:    v1\n');
      expect(output).toMatch(/DESCRIPTION:\n\s+A Gadget is a thing with a size\./);
      const spec = await kubectl.ok(['explain', 'gadget.spec']);
      expect(spec).toMatch(/\n  size\t<integer> -required-\n\s+How big the gadget is, in units\./);
      expect(spec).toMatch(/\n  color\t<string>\n\s+enum: red, green\n\s+The colour of the gadget\./);
    });

    it('applies a custom object with strict validation, and reports its unknown fields', async () => {
      expect(await kubectl.ok(['apply', '-f', '-'], { stdin: YAML.stringify(gadget('small', { size: 1 })) })).toBe('gadget.example.com/small created\n');
      expect(await kubectl.ok(['apply', '-f', '-'], { stdin: YAML.stringify(gadget('small', { size: 2, color: 'red' })) })).toBe('gadget.example.com/small configured\n');
      const unknown = await kubectl.run(['apply', '-f', '-'], { stdin: YAML.stringify(gadget('odd', { size: 1, foo: 'x' })) });
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('unknown field "spec.foo"');
    });

    it('lists the group-version in the OpenAPI index, and drops it with the CRD', async () => {
      const index = (await request('GET', `${api.url}/openapi/v3`)).body;
      expect(index.paths['apis/example.com/v1'].serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/example\.com\/v1\?hash=[0-9A-F]{128}$/);
      expect((await request('DELETE', `${api.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.com`)).status).toBeLessThan(300);
      await waitFor('the CRD group-version to leave the OpenAPI index', async () => ('apis/example.com/v1' in (await request('GET', `${api.url}/openapi/v3`)).body.paths ? undefined : true));
    });
  });

  it('serves documents pinned by hash, redirects a stale hash, and revalidates by ETag', async () => {
    const index = await request('GET', `${api.url}/openapi/v3`);
    expect(Object.keys(index.body.paths)).toEqual(expect.arrayContaining(['api/v1', 'apis/apps/v1', 'apis/batch/v1', 'apis/coordination.k8s.io/v1', 'apis/apiextensions.k8s.io/v1']));
    const url = index.body.paths['apis/apps/v1'].serverRelativeURL as string;
    const pinned = await request('GET', `${api.url}${url}`);
    expect(pinned.status).toBe(200);
    expect(pinned.headers['cache-control']).toBe('public, immutable');
    expect(pinned.headers.etag).toBe(`"${url.split('hash=')[1]}"`);
    expect(pinned.body.openapi).toBe('3.0.0');
    const stale = await request('GET', `${api.url}/openapi/v3/apis/apps/v1?hash=0123`);
    expect(stale.status).toBe(301);
    expect(stale.headers.location).toBe(url);
    const again = await request('GET', `${api.url}/openapi/v3/apis/apps/v1`, undefined, { headers: { 'If-None-Match': pinned.headers.etag as string } });
    expect(again.status).toBe(304);
    expect((await request('GET', `${api.url}/openapi/v3/apis/nothing.example.com/v1`)).status).toBe(404);
  });

  it('answers /openapi/v2 in protobuf with an empty document', async () => {
    const v2 = await request('GET', `${api.url}/openapi/v2`, undefined, { headers: { Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' } });
    expect(v2.status).toBe(200);
    expect(v2.headers['content-type']).toBe('application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    expect(v2.text).toBe('');
  });
});
