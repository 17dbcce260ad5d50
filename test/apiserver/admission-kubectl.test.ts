/**
 * What kubectl 1.32 shows a user whose manifest admission refuses, on both store backends: the
 * object, the field and upstream's words, and nothing stored.
 */
import YAML from 'yaml';
import { backends, startTestApiServer, stopSharedEtcd, TestApiServer } from '../support/api-server';
import { request } from '../support/http';
import { KubectlSession } from '../kubectl/session';

afterAll(stopSharedEtcd);

const manifest = (name: string, container: object, replicas = 1): string =>
  YAML.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [container] } },
    },
  });

describe.each(backends)('kubectl against admission over %s', (backend) => {
  let api: TestApiServer;
  let kubectl: KubectlSession;

  beforeAll(async () => {
    api = await startTestApiServer(backend);
    kubectl = new KubectlSession(api.url);
  });
  afterAll(async () => {
    kubectl.dispose();
    await api.stop();
  });

  it('prints the invalid field of a Deployment kubectl apply sends', async () => {
    const file = kubectl.file('x.yaml', manifest('x', { name: 'web', image: 'nginx', ports: [{ containerPort: 70000 }] }));
    const r = await kubectl.run(['apply', '-f', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'The Deployment "x" is invalid: spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    );
    expect((await request('GET', `${api.url}/apis/apps/v1/namespaces/default/deployments/x`)).status).toBe(404);
  });

  it('lists every invalid field when there are several', async () => {
    const file = kubectl.file('many.yaml', manifest('many', { name: 'Web' }, -1));
    const r = await kubectl.run(['apply', '-f', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('The Deployment "many" is invalid:');
    for (const line of [
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      'spec.template.spec.containers[0].name: Invalid value: "Web"',
      'spec.template.spec.containers[0].image: Required value',
    ]) {
      expect(r.stderr).toContain(line);
    }
  });

  it('applies a valid manifest and shows the server defaults', async () => {
    await kubectl.ok(['apply', '-f', kubectl.file('z.yaml', manifest('z', { name: 'web', image: 'busybox:1.36' }))]);
    const deployment = await kubectl.json(['get', 'deployment', 'z']);
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    expect(deployment.spec.template.spec.containers[0]).toMatchObject({ imagePullPolicy: 'IfNotPresent', terminationMessagePolicy: 'File' });
    // A second apply of the same manifest changes nothing: the defaults are not seen as drift.
    const again = await kubectl.ok(['apply', '-f', kubectl.file('z.yaml', manifest('z', { name: 'web', image: 'busybox:1.36' }))]);
    expect(again).toContain('deployment.apps/z unchanged');
  });
});
