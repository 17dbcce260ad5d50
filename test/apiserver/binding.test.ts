/**
 * pods/binding refuses a bind that would over-commit its node, even to a node created a moment
 * before, whose Node the server's commitment index has not yet seen through its watch.
 */
import { builtinKinds } from '../../crds';
import type { Node, Pod } from '../../src/api/types';
import { NodeCommitments } from '../../src/apiserver/node-commitments';
import { Registry } from '../../src/apiserver/registry';
import { Client, kinds } from '../../src/client';
import { backends, startTestApiServer, stopSharedEtcd, TestApiServer } from '../support/api-server';

afterAll(async () => {
  await stopSharedEtcd();
});

function node(name: string, cpu: string, pods = '110'): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { allocatable: { cpu, memory: '8Gi', pods }, capacity: { cpu, memory: '8Gi', pods } } };
}

function pod(name: string, cpu: string): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'busybox', resources: { requests: { cpu } } }] } };
}

describe('the node commitment index', () => {
  it('judges a bind against the Node read with it, before its own watch has brought that Node', () => {
    const commitments = new NodeCommitments(new Registry(builtinKinds));
    const big = pod('big', '3');
    expect(commitments.misfit('fresh', big)).toBeUndefined(); // unknown node: nothing to judge by
    expect(commitments.misfit('fresh', big, node('fresh', '2'))).toBe('Insufficient cpu');
    commitments.setPod({ ...pod('placed', '1500m'), metadata: { name: 'placed', namespace: 'default', uid: 'u1' }, spec: { ...pod('placed', '1500m').spec!, nodeName: 'fresh' } });
    expect(commitments.misfit('fresh', pod('half', '500m'), node('fresh', '2'))).toBeUndefined();
    expect(commitments.misfit('fresh', pod('more', '600m'), node('fresh', '2'))).toBe('Insufficient cpu');
  });
});

describe.each(backends)('binding on %s', (backend) => {
  let api: TestApiServer;
  let client: Client;
  beforeAll(async () => {
    api = await startTestApiServer(backend);
    client = new Client({ server: api.url, insecureSkipTlsVerify: false, namespace: 'default', source: 'test' });
  });
  afterAll(async () => {
    client.close();
    await api.stop();
  });

  /** Creates the pods, then the node, then binds every pod to it at once; returns the refusals. */
  async function bindAtOnce(nodeObject: Node, pods: Pod[]): Promise<string[]> {
    await Promise.all(pods.map((p) => client.resource(kinds.Pod).create(p)));
    await client.resource(kinds.Node).create(nodeObject);
    const outcomes = await Promise.allSettled(pods.map((p) => client.resource(kinds.Pod).bind(p, nodeObject.metadata.name!)));
    return outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => (o.reason as Error).message);
  }

  it('binds no more than a node just created can hold', async () => {
    const pods = Array.from({ length: 8 }, (_, i) => pod(`cpu-${i}`, '500m'));
    const refusals = await bindAtOnce(node('fresh', '2'), pods);
    expect(refusals).toHaveLength(4);
    for (const message of refusals) expect(message).toMatch(/^pod cpu-\d does not fit on node "fresh": Insufficient cpu$/);
    const { items } = await client.resource(kinds.Pod, 'default').list();
    expect(items.filter((p) => p.spec?.nodeName === 'fresh')).toHaveLength(4);
  });

  it('writes spec.nodeName and PodScheduled=True, as upstream, without a managedFields entry', async () => {
    await client.resource(kinds.Pod).create(pod('plain', '100m'));
    await client.resource(kinds.Node).create(node('roomy', '8'));
    const before = await client.resource(kinds.Pod, 'default').get('plain');
    await client.resource(kinds.Pod).bind(before, 'roomy');
    const after = await client.resource(kinds.Pod, 'default').get('plain');
    expect(after.spec?.nodeName).toBe('roomy');
    expect(after.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status).toBe('True');
    expect(after.metadata.managedFields).toEqual(before.metadata.managedFields);
    expect(Number(after.metadata.resourceVersion)).toBeGreaterThan(Number(before.metadata.resourceVersion));
    const again = await client.resource(kinds.Pod).bind(after, 'roomy').catch((e: Error) => e.message);
    expect(again).toBe('pod plain is already assigned to node "roomy"');
  });

  it("counts pods against a fresh node's allocatable pods", async () => {
    const pods = Array.from({ length: 5 }, (_, i) => pod(`small-${i}`, '10m'));
    const refusals = await bindAtOnce(node('tiny', '8', '3'), pods);
    expect(refusals).toHaveLength(2);
    for (const message of refusals) expect(message).toMatch(/does not fit on node "tiny": Too many pods$/);
  });

  it('binds a pod created again under the name of a bound one, whatever the watch cache still holds', async () => {
    await client.resource(kinds.Node).create(node('again', '4'));
    const first = await client.resource(kinds.Pod).create(pod('reborn', '100m'));
    await client.resource(kinds.Pod).bind(first, 'again');
    await client.resource(kinds.Pod, 'default').delete('reborn', { gracePeriodSeconds: 0 });
    const second = await client.resource(kinds.Pod).create(pod('reborn', '100m'));
    await client.resource(kinds.Pod).bind(second, 'again');
    const after = await client.resource(kinds.Pod, 'default').get('reborn');
    expect(after.metadata.uid).toBe(second.metadata.uid);
    expect(after.spec?.nodeName).toBe('again');
  });

  describe('an update tried first on a state from the watch cache', () => {
    const pods = () => api.server.registry.get('', 'v1', 'pods')!;
    const storage = () => api.server.services.storage;

    it('is tried again on the stored state when the cached one is stale', async () => {
      const stale = await client.resource(kinds.Pod).create(pod('stale', '100m'));
      await client.resource(kinds.Pod, 'default').patch('stale', 'merge', { metadata: { labels: { moved: 'on' } } });
      const seen: string[] = [];
      const updated = await storage().guaranteedUpdate(
        pods(),
        'default',
        'stale',
        (current) => {
          seen.push(current.metadata.resourceVersion!);
          return { ...current, metadata: { ...current.metadata, annotations: { touched: 'yes' } } };
        },
        { cached: stale },
      );
      expect(seen).toHaveLength(2);
      expect(seen[0]).toBe(stale.metadata.resourceVersion);
      expect(updated.metadata.labels).toEqual({ moved: 'on' });
      expect(updated.metadata.annotations).toEqual({ touched: 'yes' });
    });

    it("takes no refusal from a stale state as the answer: the stored state decides", async () => {
      const fresh = await client.resource(kinds.Pod).create(pod('decides', '100m'));
      const staleBound = { ...fresh, spec: { ...fresh.spec!, nodeName: 'elsewhere' } };
      const updated = await storage().guaranteedUpdate(
        pods(),
        'default',
        'decides',
        (current) => {
          if ((current.spec as { nodeName?: string }).nodeName) throw new Error('already bound');
          return { ...current, metadata: { ...current.metadata, annotations: { bound: 'no' } } };
        },
        { cached: staleBound as never },
      );
      expect(updated.metadata.annotations).toEqual({ bound: 'no' });
    });

    it('answers with the refusal the stored state gives', async () => {
      const current = await client.resource(kinds.Pod).create(pod('refused', '100m'));
      await expect(
        storage().guaranteedUpdate(
          pods(),
          'default',
          'refused',
          () => {
            throw new Error('no, on any state');
          },
          { cached: current as never },
        ),
      ).rejects.toThrow('no, on any state');
    });
  });
});
