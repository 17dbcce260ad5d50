import type { EndpointSlice, Pod, Service } from '../../src/api/types';
import { ObjectCache } from '../../src/client';
import { EndpointSliceReconciler } from './reconciler';

function setup() {
  const services = new ObjectCache<Service>();
  const pods = new ObjectCache<Pod>();
  const slices = new ObjectCache<EndpointSlice>();
  const writes: string[] = [];
  let serial = 0;
  const reconciler = new EndpointSliceReconciler({
    services,
    pods,
    slices,
    api: {
      create: async (s) => {
        const name = `${s.metadata.generateName}${String.fromCharCode(97 + serial++)}`;
        writes.push(`create ${name}`);
        const created = { ...s, metadata: { ...s.metadata, name, generateName: undefined, resourceVersion: '1' } };
        slices.upsert(created);
        return created;
      },
      update: async (s) => {
        writes.push(`update ${s.metadata.name}`);
        slices.upsert(s);
        return s;
      },
      delete: async (namespace, name) => {
        writes.push(`delete ${name}`);
        slices.remove(`${namespace}/${name}`);
      },
    },
  });
  return { services, pods, slices, writes, reconcile: () => reconciler.reconcile({}, 'default/web') };
}

const service = (selector?: Record<string, string>): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default', uid: 'svc-uid', labels: { team: 'a' } },
  spec: { selector, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
});
const pod = (name: string, ip: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', uid: name, labels: { app: 'web' } },
  spec: { containers: [{ name: 'c', image: 'x' }] },
  status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: 'True' }] },
});

it('creates a slice owned by the Service, labelled for it, and writes again only when something changed', async () => {
  const t = setup();
  t.services.upsert(service({ app: 'web' }));
  t.pods.upsert(pod('w1', '10.0.0.1'));
  await t.reconcile();
  await t.reconcile();
  expect(t.writes).toEqual(['create web-a']);
  const [slice] = t.slices.list();
  expect(slice.metadata.labels).toEqual({ team: 'a', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
  expect(slice.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'svc-uid', controller: true, blockOwnerDeletion: true }]);
  expect(slice).toMatchObject({ addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] });

  t.pods.upsert(pod('w2', '10.0.0.2'));
  await t.reconcile();
  expect(t.writes).toEqual(['create web-a', 'update web-a']);
  expect(t.slices.list()[0].endpoints!.map((e) => e.addresses[0])).toEqual(['10.0.0.1', '10.0.0.2']);
});

it("deletes the Service's slices when it is gone or stops selecting, and leaves others' slices alone", async () => {
  const t = setup();
  t.services.upsert(service({ app: 'web' }));
  t.slices.upsert({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-manual', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } }, addressType: 'IPv4' });
  await t.reconcile();
  expect(t.writes).toEqual(['create web-a']);
  t.services.upsert(service(undefined));
  await t.reconcile();
  expect(t.writes).toEqual(['create web-a', 'delete web-a']);
  expect(t.slices.list().map((s) => s.metadata.name)).toEqual(['web-manual']);
});
