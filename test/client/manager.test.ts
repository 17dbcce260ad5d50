import type { ConfigMap } from '../../src/api/types';
import type { Client } from '../../src/client/client';
import { kinds } from '../../src/client/kinds';
import { Manager } from '../../src/client/manager';
import type { TestApiServer } from '../support/api-server';
import { clientFor, configMap, eventually, startServer } from './support';

let server: TestApiServer;
let client: Client;

beforeAll(async () => {
  server = await startServer();
  client = clientFor(server.url);
});
afterAll(async () => {
  client.close();
  await server.stop();
});

/** A manager whose one controller labels unlabelled ConfigMaps with who reconciled them, and says so in an Event. */
function labeller(identity: string) {
  const manager = new Manager({
    client,
    leaderElection: { name: 'labellers', namespace: 'default', identity, leaseDurationMs: 2000, renewDeadlineMs: 1200, retryPeriodMs: 200 },
    metrics: { port: 0 },
  });
  manager.add(({ informers, recorder }) => {
    const maps = informers.for(kinds.ConfigMap, { namespace: 'default', labelSelector: 'managed=yes' });
    const events = recorder(`berth/labeller-${identity}`);
    return {
      name: `labeller-${identity}`,
      for: kinds.ConfigMap,
      forScope: { namespace: 'default', labelSelector: 'managed=yes' },
      reconciler: {
        async reconcile(ctx, key) {
          const cm = maps.get(key);
          if (!cm || cm.metadata.labels?.by) return;
          const updated = await client.resource(kinds.ConfigMap, 'default').patch(cm.metadata.name!, 'merge', { metadata: { labels: { by: identity } } }, { signal: ctx.signal });
          events.event(updated, 'Normal', 'Labelled', `labelled by ${identity}`);
        },
      },
    };
  });
  const stop = new AbortController();
  const running = manager.run(stop.signal);
  return { manager, running, stop: async () => { stop.abort(); await running; } };
}

const labelOf = async (name: string) => ((await client.resource(kinds.ConfigMap, 'default').get(name)) as ConfigMap).metadata.labels?.by;

describe('manager', () => {
  it('runs its controllers only while it leads, and a standby takes over when the leader stops', async () => {
    const maps = client.resource(kinds.ConfigMap, 'default');
    const first = labeller('first');
    await eventually('first to lead', () => first.manager.isLeader());
    const second = labeller('second');
    await maps.create(configMap('m1', {}, { managed: 'yes' }));
    await eventually('m1 labelled by the leader', async () => (await labelOf('m1')) === 'first');
    await new Promise((r) => setTimeout(r, 300));
    expect(await labelOf('m1')).toBe('first');
    expect(second.manager.isLeader()).toBe(false);

    const metrics = await (await fetch(first.manager.metricsUrl!)).text();
    expect(metrics).toContain('berth_leader_election_master_status{name="labellers"} 1');
    expect(metrics).toMatch(/berth_controller_reconcile_total\{controller="labeller-first",result="success"} \d+/);
    expect(metrics).toMatch(/^berth_controllers_process_resident_memory_bytes [1-9]\d+$/m);
    expect(metrics).toMatch(/^berth_controllers_nodejs_heap_size_used_bytes [1-9]\d+$/m);

    await first.stop();
    await maps.create(configMap('m2', {}, { managed: 'yes' }));
    await eventually('m2 labelled by the standby', async () => (await labelOf('m2')) === 'second', 5000);
    const events = await client.resource(kinds.Event, 'default').list({ fieldSelector: 'involvedObject.name=m1' });
    expect(events.items.map((e) => e.message)).toEqual(['labelled by first']);
    await second.stop();
  });

  it('refuses two controllers with one name', () => {
    const manager = new Manager({ client, leaderElection: false });
    const declaration = { name: 'twice', for: kinds.ConfigMap, reconciler: { reconcile: async () => undefined } };
    manager.add(declaration);
    expect(() => manager.add(declaration)).toThrow('a controller named "twice" was added already');
  });
});
