/**
 * The endpoints controller against a real API server, with pods marked Running and Ready through
 * /status by the test itself (no agent).
 */
import type { Endpoints, Pod } from '../../src/api/types';
import { kinds } from '../../src/client';
import { eventually, startControlPlane, TestControlPlane } from '../support/control-plane';

let plane: TestControlPlane;
beforeAll(async () => {
  plane = await startControlPlane(['endpoints']);
});
afterAll(async () => {
  await plane.stop();
});

const pods = () => plane.client.resource(kinds.Pod, 'default');
const services = () => plane.client.resource(kinds.Service, 'default');
const endpoints = () => plane.client.resource(kinds.Endpoints, 'default');

function pod(name: string, labels: Record<string, string>, httpPort = 8080): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels },
    spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'busybox', ports: [{ name: 'http', containerPort: httpPort }] }] },
  };
}

async function setStatus(name: string, ip: string, ready: boolean): Promise<void> {
  const current = await pods().get(name);
  await pods().updateStatus({
    ...current,
    status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  });
}

async function endpointsWhen(name: string, check: (e: Endpoints) => boolean): Promise<Endpoints> {
  return eventually(`endpoints ${name}`, async () => {
    const e = await endpoints().get(name);
    return check(e) ? e : undefined;
  });
}

const ips = (addresses: Array<{ ip: string }> | undefined) => (addresses ?? []).map((a) => a.ip);

it('follows readiness: ready pods in addresses, unready in notReadyAddresses, named targetPort resolved', async () => {
  await services().create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default', labels: { tier: 'front' } },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  });
  await pods().create(pod('web-1', { app: 'web' }));
  await pods().create(pod('web-2', { app: 'web' }));
  await pods().create(pod('other', { app: 'other' }));
  await setStatus('web-1', '10.1.0.1', true);
  await setStatus('web-2', '10.1.0.2', false);
  await setStatus('other', '10.1.0.9', true);

  const e = await endpointsWhen('web', (x) => ips(x.subsets?.[0]?.addresses).length === 1 && ips(x.subsets?.[0]?.notReadyAddresses).length === 1);
  expect(e.subsets).toHaveLength(1);
  const subset = e.subsets![0];
  expect(subset.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
  expect(subset.addresses).toEqual([{ ip: '10.1.0.1', nodeName: 'node-1', targetRef: expect.objectContaining({ kind: 'Pod', name: 'web-1', namespace: 'default' }) }]);
  expect(ips(subset.notReadyAddresses)).toEqual(['10.1.0.2']);
  expect(e.metadata.labels).toEqual({ tier: 'front', 'endpoints.kubernetes.io/managed-by': 'endpoint-controller' });

  await setStatus('web-2', '10.1.0.2', true);
  await endpointsWhen('web', (x) => ips(x.subsets?.[0]?.addresses).join() === '10.1.0.1,10.1.0.2' && !x.subsets?.[0]?.notReadyAddresses);
  await setStatus('web-1', '10.1.0.1', false);
  await endpointsWhen('web', (x) => ips(x.subsets?.[0]?.addresses).join() === '10.1.0.2' && ips(x.subsets?.[0]?.notReadyAddresses).join() === '10.1.0.1');
});

it('puts pods whose named port resolves differently into different subsets', async () => {
  await services().create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'mixed', namespace: 'default' }, spec: { selector: { app: 'mixed' }, ports: [{ port: 80, targetPort: 'http' }] } });
  await pods().create(pod('mixed-a', { app: 'mixed' }, 8080));
  await pods().create(pod('mixed-b', { app: 'mixed' }, 9090));
  await setStatus('mixed-a', '10.2.0.1', true);
  await setStatus('mixed-b', '10.2.0.2', true);
  const e = await endpointsWhen('mixed', (x) => (x.subsets ?? []).length === 2);
  expect(e.subsets!.map((s) => [ips(s.addresses), s.ports![0].port])).toEqual([
    [['10.2.0.1'], 8080],
    [['10.2.0.2'], 9090],
  ]);
});

it('publishes unready pods as ready with publishNotReadyAddresses, and leaves selectorless Services alone', async () => {
  await services().create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'eager', namespace: 'default' }, spec: { selector: { app: 'eager' }, publishNotReadyAddresses: true, ports: [{ port: 80, targetPort: 8080 }] } });
  await pods().create(pod('eager-1', { app: 'eager' }));
  await setStatus('eager-1', '10.3.0.1', false);
  await endpointsWhen('eager', (x) => ips(x.subsets?.[0]?.addresses).join() === '10.3.0.1');

  await services().create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'manual', namespace: 'default' }, spec: { ports: [{ port: 80 }] } });
  await endpoints().create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'manual', namespace: 'default' }, subsets: [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 80, protocol: 'TCP' }] }] });
  // Touch the Service: a reconcile runs, and must not change the hand-made Endpoints.
  const manual = await services().get('manual');
  await services().update({ ...manual, metadata: { ...manual.metadata, labels: { touched: 'yes' } } });
  await new Promise((r) => setTimeout(r, 500));
  expect(ips((await endpoints().get('manual')).subsets?.[0]?.addresses)).toEqual(['192.0.2.1']);
});

it('deletes the Endpoints with the Service, and recreates ours when someone deletes them', async () => {
  await endpoints().delete('eager');
  await endpointsWhen('eager', (x) => ips(x.subsets?.[0]?.addresses).join() === '10.3.0.1');
  await services().delete('eager');
  await eventually('eager endpoints gone', async () => {
    try {
      await endpoints().get('eager');
      return undefined;
    } catch {
      return true;
    }
  });
});
