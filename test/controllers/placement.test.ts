/**
 * The placement controller against a real API server, with plain Node objects (no agent):
 * binding, spread and bin-packing, cordons and taints, the reason a pod fits nowhere, and two
 * placement loops racing without over-committing a node.
 */
import type { Obj } from '../../src/api/object';
import type { Event, Pod } from '../../src/api/types';
import { defaultControllerSettings } from '../../controllers';
import { placementController } from '../../controllers/placement/controller';
import { Client, kinds, Manager } from '../../src/client';
import { amount } from '../../src/util/quantity';
import { eventually, makeNode, startControlPlane, TestControlPlane } from '../support/control-plane';

function pod(name: string, cpu: string, extra: Partial<Pod['spec']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'test' } },
    spec: { containers: [{ name: 'app', image: 'busybox', resources: { requests: { cpu, memory: '64Mi' } } }], ...extra },
  };
}

async function createNodes(plane: TestControlPlane, nodes: Obj[]): Promise<void> {
  for (const node of nodes) await plane.client.resource(kinds.Node).create(node as never);
}

async function createPods(plane: TestControlPlane, pods: Pod[]): Promise<void> {
  await Promise.all(pods.map((p) => plane.client.resource(kinds.Pod, 'default').create(p)));
}

/** Pod name → node, once every pod named is bound. */
async function placements(plane: TestControlPlane, names: string[]): Promise<Record<string, string>> {
  return eventually(`${names.length} pods bound`, async () => {
    const { items } = await plane.client.resource(kinds.Pod, 'default').list();
    const where = Object.fromEntries(items.filter((p) => names.includes(p.metadata.name!)).map((p) => [p.metadata.name!, p.spec?.nodeName ?? '']));
    return names.every((n) => where[n]) ? where : undefined;
  });
}

function perNode(where: Record<string, string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const node of Object.values(where)) counts[node] = (counts[node] ?? 0) + 1;
  return counts;
}

const names = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);

describe('placement with the default strategy', () => {
  let plane: TestControlPlane;
  beforeAll(async () => {
    plane = await startControlPlane(['placement']);
    await createNodes(plane, [
      makeNode('n1', { cpu: '4' }),
      makeNode('n2', { cpu: '4' }),
      makeNode('n3', { cpu: '4' }),
      makeNode('cordoned', { cpu: '64' }, { unschedulable: true }),
      makeNode('tainted', { cpu: '64' }, { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' } as never] }),
    ]);
  });
  afterAll(async () => {
    await plane.stop();
  });

  it('binds pending pods, spread over the nodes, and never on a cordoned or tainted node', async () => {
    const spread = names('spread', 6);
    await createPods(plane, spread.map((n) => pod(n, '500m')));
    const where = await placements(plane, spread);
    expect(perNode(where)).toEqual({ n1: 2, n2: 2, n3: 2 });
    const bound = await plane.client.resource(kinds.Pod, 'default').get('spread-0');
    expect(bound.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status).toBe('True');
  });

  it('says exactly why a pod fits nowhere, with an event, and binds it once a node big enough joins', async () => {
    await createPods(plane, [pod('huge', '16')]);
    const expected = '0/5 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) were unschedulable, 3 Insufficient cpu.';
    const condition = await eventually('PodScheduled=False', async () => {
      const p = await plane.client.resource(kinds.Pod, 'default').get('huge');
      return p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    });
    expect(condition).toMatchObject({ reason: 'Unschedulable', message: expected });
    const event = await eventually('a FailedScheduling event', async () => {
      const { items } = await plane.client.resource(kinds.Event, 'default').list();
      return items.find((e: Event) => e.reason === 'FailedScheduling' && e.involvedObject.name === 'huge');
    });
    expect(event).toMatchObject({ type: 'Warning', message: expected, source: { component: 'default-scheduler' } });

    await createNodes(plane, [makeNode('big', { cpu: '32' })]);
    expect(await placements(plane, ['huge'])).toEqual({ huge: 'big' });
    const { items } = await plane.client.resource(kinds.Event, 'default').list();
    const failed = items.filter((e: Event) => e.reason === 'FailedScheduling' && e.involvedObject.name === 'huge');
    expect(failed).toHaveLength(1);
    expect(failed[0].count).toBe(1);
    expect(items.some((e: Event) => e.reason === 'Scheduled' && e.involvedObject.name === 'huge' && e.message === 'Successfully assigned default/huge to big')).toBe(true);
  });

  it('places a pod that tolerates the taint on the tainted node when it is the only one with room', async () => {
    await createPods(plane, [pod('tolerant', '40', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] })]);
    expect(await placements(plane, ['tolerant'])).toEqual({ tolerant: 'tainted' });
  });
});

describe('placement with binpack', () => {
  let plane: TestControlPlane;
  beforeAll(async () => {
    plane = await startControlPlane(['placement'], { settings: { placementStrategy: 'binpack' } });
    await createNodes(plane, [makeNode('n1', { cpu: '4' }), makeNode('n2', { cpu: '4' }), makeNode('n3', { cpu: '4' })]);
  });
  afterAll(async () => {
    await plane.stop();
  });

  it('fills one node before using the next', async () => {
    const packed = names('packed', 10);
    // One at a time, so the order is the one pods come in rather than a race between decisions.
    for (const n of packed) {
      await createPods(plane, [pod(n, '500m')]);
      await placements(plane, [n]);
    }
    const counts = Object.values(perNode(await placements(plane, packed))).sort();
    expect(counts).toEqual([2, 8]);
  });
});

describe('placement controllers racing', () => {
  let plane: TestControlPlane;
  const others: Array<{ client: Client; stop: AbortController; running: Promise<void> }> = [];

  /** Another Manager, without leader election, running a placement loop against the same server. */
  function startLoop(userAgent: string, schedulerName?: string): void {
    const client = new Client({ server: plane.api.url, insecureSkipTlsVerify: false, namespace: 'default', source: 'test' }, { userAgent: `${userAgent}/1.0` });
    const manager = new Manager({ client, leaderElection: false });
    manager.add((tools) => placementController(tools, defaultControllerSettings, { schedulerName }));
    const stop = new AbortController();
    others.push({ client, stop, running: manager.run(stop.signal) });
  }

  beforeAll(async () => {
    plane = await startControlPlane(['placement']);
    startLoop('twin');
    startLoop('second-scheduler', 'second-scheduler');
  });
  afterAll(async () => {
    for (const other of others) other.stop.abort();
    for (const other of others) {
      await other.running;
      other.client.close();
    }
    await plane.stop();
  });

  it('never over-commit a node: two loops on the same pods, and a third for another scheduler name on the same nodes', async () => {
    const racing = [...names('race', 12).map((n) => pod(n, '500m')), ...names('second', 12).map((n) => pod(n, '500m', { schedulerName: 'second-scheduler' }))];
    await createPods(plane, racing);
    const unschedulable = (pods: Pod[], message: string) =>
      pods.filter((p) => p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False' && c.message === message));
    // No nodes yet: every loop holds its pods. Past their first backoff (1 s), all wake on the
    // same node event and decide before any of the others' binds is seen.
    await eventually('24 pods waiting for nodes', async () => {
      const { items } = await plane.client.resource(kinds.Pod, 'default').list();
      return unschedulable(items, 'no nodes available to schedule pods').length === 24;
    });
    await new Promise((r) => setTimeout(r, 1200));
    await createNodes(plane, ['r1', 'r2', 'r3', 'r4'].map((n) => makeNode(n, { cpu: '2' })));
    // 4 nodes of 2 cpu hold 16 pods of 500m; the other 8 fit nowhere.
    await eventually('16 bound and 8 reported unschedulable', async () => {
      const { items } = await plane.client.resource(kinds.Pod, 'default').list();
      const placed = items.filter((p) => p.spec?.nodeName);
      return placed.length === 16 && unschedulable(items, '0/4 nodes are available: 4 Insufficient cpu.').length === 8;
    });
    await new Promise((r) => setTimeout(r, 500));
    const { items: nodes } = await plane.client.resource(kinds.Node).list();
    const { items: pods } = await plane.client.resource(kinds.Pod, 'default').list();
    const bound = pods.filter((p) => p.spec?.nodeName);
    expect(bound).toHaveLength(16);
    for (const node of nodes) {
      const requested = bound.filter((p) => p.spec!.nodeName === node.metadata.name).reduce((sum, p) => sum + amount('cpu', p.spec!.containers[0].resources!.requests!.cpu!), 0);
      expect(requested).toBeLessThanOrEqual(amount('cpu', node.status!.allocatable!.cpu!));
    }
    // Each loop placed only its own pods — each says so in a Scheduled event from its scheduler
    // name — and the one for the other name placed some (12 pods each way for 16 places).
    const { items: events } = await plane.client.resource(kinds.Event, 'default').list();
    const binder = (p: Pod) => events.find((e: Event) => e.reason === 'Scheduled' && e.involvedObject.uid === p.metadata.uid)?.source?.component;
    const second = bound.filter((p) => p.spec!.schedulerName === 'second-scheduler');
    expect(second.length).toBeGreaterThanOrEqual(4);
    expect(second.every((p) => binder(p) === 'second-scheduler')).toBe(true);
    expect(bound.filter((p) => p.spec!.schedulerName !== 'second-scheduler').every((p) => binder(p) === 'default-scheduler')).toBe(true);
  });
});
