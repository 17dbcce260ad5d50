/**
 * The endpointslice controller against a real API server, with pods marked Running and Ready
 * through /status by the test itself (no agent); and kubectl describe service reading the slices.
 */
import type { EndpointSlice, Pod } from '../../src/api/types';
import { kinds } from '../../src/client';
import { KubectlSession } from '../kubectl/session';
import { eventually, startControlPlane, TestControlPlane } from '../support/control-plane';

let plane: TestControlPlane;
beforeAll(async () => {
  plane = await startControlPlane(['endpointslice']);
});
afterAll(async () => {
  await plane.stop();
});

const pods = () => plane.client.resource(kinds.Pod, 'default');
const services = () => plane.client.resource(kinds.Service, 'default');
const slices = () => plane.client.resource(kinds.EndpointSlice, 'default');

function pod(name: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'web' } },
    spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'busybox', ports: [{ name: 'http', containerPort: 8080 }] }] },
  };
}

async function setStatus(name: string, ip: string, ready: boolean): Promise<void> {
  const current = await pods().get(name);
  await pods().updateStatus({ ...current, status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } });
}

async function slicesWhen(check: (s: EndpointSlice[]) => boolean): Promise<EndpointSlice[]> {
  return eventually('endpoint slices of web', async () => {
    const list = (await slices().list({ labelSelector: 'kubernetes.io/service-name=web' })).items;
    return check(list) ? list : undefined;
  });
}

const readiness = (s: EndpointSlice) => (s.endpoints ?? []).map((e) => `${e.addresses[0]}:${e.conditions?.ready}`).sort();

it('keeps a slice of the ready and unready pods, owned by the Service, and kubectl describe service shows the ready ones', async () => {
  await services().create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } });
  await pods().create(pod('web-1'));
  await pods().create(pod('web-2'));
  await setStatus('web-1', '10.1.0.1', true);
  await setStatus('web-2', '10.1.0.2', false);
  const [slice] = await slicesWhen((list) => list.length === 1 && readiness(list[0]).join() === '10.1.0.1:true,10.1.0.2:false');
  expect(slice.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
  expect(slice.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
  const service = await services().get('web');
  expect(slice.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Service', name: 'web', uid: service.metadata.uid, controller: true })]);

  const kubectl = new KubectlSession(plane.api.url);
  try {
    expect(await kubectl.ok(['describe', 'service', 'web'])).toMatch(/Endpoints:\s+10\.1\.0\.1:8080\n/);
    await setStatus('web-2', '10.1.0.2', true);
    await slicesWhen((list) => readiness(list[0]).join() === '10.1.0.1:true,10.1.0.2:true');
    expect(await kubectl.ok(['describe', 'service', 'web'])).toMatch(/Endpoints:\s+10\.1\.0\.1:8080,10\.1\.0\.2:8080\n/);
  } finally {
    kubectl.dispose();
  }
});

it('puts a slice deleted by someone back, and removes the slices with the Service', async () => {
  const [before] = await slicesWhen((list) => list.length === 1);
  await slices().delete(before.metadata.name!);
  await slicesWhen((list) => list.length === 1 && list[0].metadata.name !== before.metadata.name && readiness(list[0]).length === 2);

  await services().delete('web');
  await slicesWhen((list) => list.length === 0);
});
