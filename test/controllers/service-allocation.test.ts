/**
 * The service controller against a real API server: ClusterIPs and nodePorts allocated, unique
 * across Services created at once under two controllers, released on delete and reused.
 */
import { serviceEntry } from '../../controllers/service';
import { defaultControllerSettings } from '../../controllers';
import type { Event, Lease, Service } from '../../src/api/types';
import { Client, kinds, Manager } from '../../src/client';
import { backends, stopSharedEtcd } from '../support/api-server';
import { eventually, startControlPlane, TestControlPlane } from '../support/control-plane';

function service(name: string, spec: Partial<NonNullable<Service['spec']>> = {}): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec } };
}

/** Allocated=False: a refusal the Service still reports. */
function allocationRefused(s: Service): boolean {
  return s.status?.conditions?.some((c) => c.type === 'Allocated' && c.status === 'False') ?? false;
}

/** A second controller process against the same server, as `berth controllers` on another host; counts its reconciles. */
async function secondController(plane: TestControlPlane, settings: Partial<typeof defaultControllerSettings>): Promise<{ reconciles: () => number; stop: () => Promise<void> }> {
  const client = new Client({ server: plane.api.url, insecureSkipTlsVerify: false, namespace: 'default', source: 'test' });
  const manager = new Manager({ client, leaderElection: false });
  let reconciles = 0;
  manager.add((tools) => {
    const declaration = serviceEntry.create(tools, { ...defaultControllerSettings, ...settings });
    const inner = declaration.reconciler;
    return { ...declaration, reconciler: { reconcile: (ctx, key) => (reconciles++, inner.reconcile(ctx, key)) } };
  });
  const stop = new AbortController();
  const running = manager.run(stop.signal).catch(() => undefined);
  return {
    reconciles: () => reconciles,
    stop: async () => {
      stop.abort();
      await running;
      client.close();
    },
  };
}

describe('service controller', () => {
  const settings = { serviceClusterIpRange: '10.0.0.0/29', nodePortRange: '30000-30002' };
  let plane: TestControlPlane;
  beforeAll(async () => {
    plane = await startControlPlane(['service'], { settings });
  });
  afterAll(async () => {
    await plane.stop();
  });
  const services = () => plane.client.resource(kinds.Service, 'default');

  it('allocates a ClusterIP from the range and a nodePort per port, and claims both', async () => {
    await services().create(service('web', { type: 'NodePort', ports: [{ name: 'http', port: 80 }, { name: 'dns', port: 53, protocol: 'UDP' }] }));
    const web = await eventually('web allocated', async () => {
      const s = await services().get('web');
      return s.spec?.clusterIP && s.spec.ports?.every((p) => p.nodePort) ? s : undefined;
    });
    expect(web.spec?.clusterIP).toMatch(/^10\.0\.0\.[2-6]$/);
    expect(web.spec?.clusterIPs).toEqual([web.spec?.clusterIP]);
    const ports = web.spec!.ports!.map((p) => p.nodePort!);
    expect(new Set(ports).size).toBe(2);
    for (const p of ports) expect(p).toBeGreaterThanOrEqual(30000);
    const claims = await plane.client.resource(kinds.Lease, 'kube-system').list({ labelSelector: 'berth.dev/claim' });
    const holders = claims.items.filter((l: Lease) => l.spec?.holderIdentity === 'default/web').map((l) => l.metadata.name).sort();
    expect(holders).toEqual([`clusterip-${web.spec!.clusterIP}`, ...ports.map((p) => `nodeport-${p}`)].sort());
  });

  it('leaves headless and ExternalName Services without a ClusterIP', async () => {
    await services().create(service('headless', { clusterIP: 'None' }));
    await services().create({ ...service('external', { type: 'ExternalName', externalName: 'example.com', ports: [] }) });
    await services().create(service('after'));
    await eventually('after allocated', async () => (await services().get('after')).spec?.clusterIP);
    expect((await services().get('headless')).spec?.clusterIP).toBe('None');
    expect((await services().get('external')).spec?.clusterIP).toBeUndefined();
  });

  it('refuses a taken ClusterIP and a taken nodePort with an event and a condition saying why', async () => {
    const web = await services().get('web');
    await services().create(service('copycat', { type: 'NodePort', clusterIP: web.spec!.clusterIP, ports: [{ port: 80, nodePort: web.spec!.ports![0].nodePort }] }));
    const copycat = await eventually('copycat refused', async () => {
      const s = await services().get('copycat');
      return s.status?.conditions?.find((c) => c.type === 'Allocated' && c.status === 'False') ? s : undefined;
    });
    const condition = copycat.status!.conditions!.find((c) => c.type === 'Allocated')!;
    expect(condition.reason).toBe('ClusterIPAlreadyAllocated');
    expect(condition.message).toContain(`the ClusterIP ${web.spec!.clusterIP} is already allocated to Service default/web`);
    expect(condition.message).toContain(`the nodePort ${web.spec!.ports![0].nodePort} is already allocated to Service default/web`);
    const events = await eventually('events', async () => {
      const list = await plane.client.resource(kinds.Event, 'default').list();
      const reasons = list.items.filter((e: Event) => e.involvedObject?.name === 'copycat').map((e) => e.reason);
      return reasons.includes('ClusterIPAlreadyAllocated') && reasons.includes('NodePortAlreadyAllocated') ? reasons : undefined;
    });
    expect(events).toContain('NodePortAlreadyAllocated');
    await services().delete('copycat');
  });

  it('releases on delete and on a change of type, and hands the values out again', async () => {
    // The range holds 4 dynamic addresses (.2-.6 less the ones taken); fill it, then free one.
    const taken = new Set<string>();
    for (const s of (await services().list()).items) if (s.spec?.clusterIP && s.spec.clusterIP !== 'None') taken.add(s.spec.clusterIP);
    const fillers: string[] = [];
    for (let i = 0; taken.size + fillers.length < 5; i++) {
      fillers.push(`filler-${i}`);
      await services().create(service(`filler-${i}`));
    }
    for (const name of fillers) await eventually(`${name} allocated`, async () => (await services().get(name)).spec?.clusterIP);
    await services().create(service('waiting'));
    const full = await eventually('range full', async () => (await services().get('waiting')).status?.conditions?.find((c) => c.reason === 'ClusterIPRangeFull'));
    expect(full.message).toBe('no ClusterIP is free in 10.0.0.0/29');

    const freed = (await services().get(fillers[0])).spec!.clusterIP!;
    await services().delete(fillers[0]);
    // The controller writes the ClusterIP, then the condition in a second write: wait for both.
    const waiting = await eventually('waiting allocated', async () => {
      const s = await services().get('waiting');
      const allocated = s.status?.conditions?.find((c) => c.type === 'Allocated');
      return s.spec?.clusterIP && allocated?.status !== 'False' ? s : undefined;
    });
    expect(waiting.spec?.clusterIP).toBe(freed);
    expect(waiting.status?.conditions?.find((c) => c.type === 'Allocated')?.status).toBe('True');

    // NodePort → ClusterIP: the user drops the nodePorts, the controller drops their claims.
    const web = await services().get('web');
    const nodePorts = web.spec!.ports!.map((p) => p.nodePort!);
    await services().update({ ...web, spec: { ...web.spec, type: 'ClusterIP', ports: web.spec!.ports!.map(({ nodePort: _dropped, ...p }) => p) } });
    await eventually('nodePort claims released', async () => {
      const claims = await plane.client.resource(kinds.Lease, 'kube-system').list({ labelSelector: 'berth.dev/claim=nodeport' });
      return claims.items.every((l) => !nodePorts.map((p) => `nodeport-${p}`).includes(l.metadata.name!));
    });
  });
});

describe.each(backends)('service controller, two at once, on %s', (backend) => {
  afterAll(stopSharedEtcd);

  it('hands out unique ClusterIPs and nodePorts to 200 Services created concurrently under two controllers', async () => {
    // 200 nodePorts from a range of 250: the two controllers keep reaching for the same ones.
    // While the loser of each race still holds its duplicate claims, the range can be full for a
    // moment: a Service may say NodePortRangeFull until a release wakes it, and must not after.
    const settings = { nodePortRange: '30000-30249' };
    const plane = await startControlPlane(['service'], { settings, backend });
    const second = await secondController(plane, settings);
    try {
      const services = plane.client.resource(kinds.Service, 'default');
      const names = Array.from({ length: 200 }, (_, i) => `svc-${i}`);
      await Promise.all(names.map((name) => services.create(service(name, { type: 'NodePort' }))));
      const all = await eventually(
        'all 200 allocated',
        async () => {
          const list = (await services.list()).items.filter((s) => s.metadata.name!.startsWith('svc-'));
          return list.length === 200 && list.every((s) => s.spec?.clusterIP && s.spec.ports?.[0].nodePort && !allocationRefused(s)) ? list : undefined;
        },
        60_000,
        250,
      );
      expect(new Set(all.map((s) => s.spec!.clusterIP)).size).toBe(200);
      expect(new Set(all.map((s) => s.spec!.ports![0].nodePort)).size).toBe(200);
      const claims = await plane.client.resource(kinds.Lease, 'kube-system').list({ labelSelector: 'berth.dev/claim' });
      // Claims made for a Service the other controller had already allocated are released again.
      await eventually('exactly one claim per value', async () => {
        const now = await plane.client.resource(kinds.Lease, 'kube-system').list({ labelSelector: 'berth.dev/claim' });
        return now.items.length === 400 ? true : undefined;
      }, 60_000);
      expect(claims.items.length).toBeGreaterThanOrEqual(400);
      expect(second.reconciles()).toBeGreaterThanOrEqual(200);
    } finally {
      await second.stop();
      await plane.stop();
    }
  }, 120_000);
});
