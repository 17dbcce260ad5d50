/**
 * A thousand simulated nodes in one process against a real API server and the placement
 * controller: they register Ready with their Leases, share one watch per kind, and run the pods
 * placement spreads over them; their logs come through pods/log like any node's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pod } from '../../src/api/types';
import { startSimulatedNodes, SimulatedNodes } from '../../src/agent/simulated-nodes';
import { kinds } from '../../src/client';
import { eventually, startControlPlane, TestControlPlane } from '../support/control-plane';

const count = 1000;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'berth-simulated-'));
let plane: TestControlPlane;
let nodes: SimulatedNodes;
let registeredInMs: number;

beforeAll(async () => {
  plane = await startControlPlane(['placement']);
  const started = Date.now();
  nodes = await startSimulatedNodes({ client: plane.client, prefix: 'sim', count, dataDir, renewEveryMs: 10_000 });
  registeredInMs = Date.now() - started;
  plane.api.server.services.nodeLogs = nodes.nodeLogs;
}, 120_000);
afterAll(async () => {
  await nodes?.stop();
  await plane?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('registers a thousand Ready nodes with their Leases', async () => {
  const list = await plane.client.resource(kinds.Node).list();
  expect(list.items).toHaveLength(count);
  expect(list.items.every((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))).toBe(true);
  expect(list.items.map((n) => n.metadata.name).sort()[0]).toBe('sim-0001');
  expect(list.items[0].metadata.labels).toMatchObject({ 'berth.dev/simulated': 'true', 'kubernetes.io/hostname': list.items[0].metadata.name });
  const leases = await eventually('a lease per node', async () => {
    const got = await plane.client.resource(kinds.Lease, 'kube-node-lease').list();
    return got.items.length === count ? got.items : undefined;
  }, 30_000, 500);
  expect(leases.every((l) => l.spec?.holderIdentity === l.metadata.name)).toBe(true);
  // eslint-disable-next-line no-console
  console.log(`${count} simulated nodes registered in ${registeredInMs} ms`);
}, 60_000);

it('runs 500 pods placed over the simulated nodes, and serves their logs through pods/log', async () => {
  const pods = plane.client.resource(kinds.Pod, 'default');
  const pod = (i: number): Pod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `load-${i}`, namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'busybox', resources: { requests: { cpu: '100m' } } }] },
  });
  const started = Date.now();
  for (let i = 0; i < 500; i += 50) await Promise.all(Array.from({ length: 50 }, (_, j) => pods.create(pod(i + j))));
  const running = await eventually('500 pods Running', async () => {
    const list = (await pods.list()).items;
    return list.filter((p) => p.status?.phase === 'Running').length === 500 ? list : undefined;
  }, 60_000, 500);
  // eslint-disable-next-line no-console
  console.log(`500 pods created, placed and Running on simulated nodes in ${Date.now() - started} ms`);
  expect(new Set(running.map((p) => p.spec!.nodeName)).size).toBeGreaterThan(100);
  let text = '';
  for await (const chunk of await pods.logs('load-7')) text += chunk.toString();
  expect(text).toBe('simulated container app running\n');
}, 90_000);
