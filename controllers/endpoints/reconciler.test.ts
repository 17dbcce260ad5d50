import type { Endpoints, Pod, Service } from '../../src/api/types';
import { ObjectCache } from '../../src/client';
import { EndpointsReconciler, servicesSelecting } from './reconciler';

function setup() {
  const services = new ObjectCache<Service>();
  const pods = new ObjectCache<Pod>();
  const endpoints = new ObjectCache<Endpoints>();
  const writes: string[] = [];
  const reconciler = new EndpointsReconciler({
    services,
    pods,
    endpoints,
    api: {
      create: async (e) => {
        writes.push(`create ${e.metadata.name}`);
        endpoints.upsert({ ...e, metadata: { ...e.metadata, resourceVersion: '1' } });
        return e;
      },
      update: async (e) => {
        writes.push(`update ${e.metadata.name}`);
        endpoints.upsert(e);
        return e;
      },
      delete: async (namespace, name) => {
        writes.push(`delete ${name}`);
        endpoints.remove(`${namespace}/${name}`);
      },
    },
  });
  return { services, pods, endpoints, writes, reconcile: (key: string) => reconciler.reconcile({}, key) };
}

const service = (name: string, selector?: Record<string, string>): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', labels: { team: 'a' } }, spec: { selector, ports: [{ port: 80, targetPort: 8080 }] } });
const pod = (name: string, app: string, ip: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', uid: name, labels: { app } },
  spec: { containers: [{ name: 'c', image: 'x' }] },
  status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: 'True' }] },
});

it('writes the Endpoints once, and not again while nothing changes', async () => {
  const t = setup();
  t.services.upsert(service('web', { app: 'web' }));
  t.pods.upsert(pod('w1', 'web', '10.0.0.1'));
  t.pods.upsert(pod('x1', 'other', '10.0.0.2'));
  await t.reconcile('default/web');
  await t.reconcile('default/web');
  expect(t.writes).toEqual(['create web']);
  const written = t.endpoints.get('default/web')!;
  expect(written.subsets?.[0].addresses?.map((a) => a.ip)).toEqual(['10.0.0.1']);
  expect(written.metadata.labels).toEqual({ team: 'a', 'endpoints.kubernetes.io/managed-by': 'endpoint-controller' });

  t.pods.upsert(pod('w2', 'web', '10.0.0.3'));
  await t.reconcile('default/web');
  expect(t.writes).toEqual(['create web', 'update web']);
  expect(t.endpoints.get('default/web')!.metadata.resourceVersion).toBe('1');
});

it('leaves a Service without a selector alone, and deletes the Endpoints of a Service that is gone', async () => {
  const t = setup();
  t.services.upsert(service('manual'));
  t.endpoints.upsert({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'manual', namespace: 'default' }, subsets: [{ addresses: [{ ip: '192.0.2.1' }] }] });
  await t.reconcile('default/manual');
  expect(t.writes).toEqual([]);
  t.services.remove('default/manual');
  await t.reconcile('default/manual');
  expect(t.writes).toEqual(['delete manual']);
});

it('maps a pod to the Services of its namespace whose selector picks it', () => {
  const t = setup();
  t.services.upsert(service('web', { app: 'web' }));
  t.services.upsert(service('all', {}));
  t.services.upsert(service('manual'));
  t.services.upsert({ ...service('elsewhere', { app: 'web' }), metadata: { name: 'elsewhere', namespace: 'other' } });
  expect(servicesSelecting(t.services, pod('w1', 'web', '10.0.0.1')).sort()).toEqual(['default/all', 'default/web']);
});
