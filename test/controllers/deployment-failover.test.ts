/**
 * Two controller processes (two Managers, each with its own client and informers) electing a
 * leader on one API server: the leader is killed in the middle of a rollout without releasing its
 * Lease, and the other takes over once the 2 s lease runs out and finishes the rollout.
 */
import { defaultControllerSettings, selectControllers } from '../../controllers';
import { Client, kinds, Manager } from '../../src/client';
import { startTestApiServer, TestApiServer } from '../support/api-server';
import { eventually } from '../support/control-plane';
import { deployment, IMAGE, isReady, rolledOut, Workloads } from './deployment-support';

interface ControllerProcess {
  identity: string;
  manager: Manager;
  /** Stops at once without releasing the Lease, as a crash would. */
  kill(): Promise<void>;
}

function startControllers(api: TestApiServer, identity: string): ControllerProcess {
  const client = new Client({ server: api.url, insecureSkipTlsVerify: false, namespace: 'default', source: identity });
  const manager = new Manager({
    client,
    leaderElection: { name: 'workloads', namespace: 'kube-system', identity, leaseDurationMs: 2000, renewDeadlineMs: 1500, retryPeriodMs: 250, releaseOnCancel: false },
  });
  for (const entry of selectControllers(['replicaset', 'deployment'])) manager.add((tools) => entry.create(tools, defaultControllerSettings));
  const stop = new AbortController();
  const running = manager.run(stop.signal).catch(() => undefined);
  return {
    identity,
    manager,
    kill: async () => {
      stop.abort();
      await running;
      client.close();
    },
  };
}

let api: TestApiServer;
let client: Client;
const processes: ControllerProcess[] = [];
beforeAll(async () => {
  api = await startTestApiServer('sqlite');
  client = new Client({ server: api.url, insecureSkipTlsVerify: false, namespace: 'default', source: 'test' });
});
afterAll(async () => {
  await Promise.all(processes.map((p) => p.kill()));
  client.close();
  await api.stop();
});

it('a follower finishes the rollout its killed leader started', async () => {
  const w = new Workloads(client);
  const first = startControllers(api, 'first');
  processes.push(first);
  await eventually('first leads', async () => first.manager.isLeader());
  const second = startControllers(api, 'second');
  processes.push(second);

  await w.deployments.create(deployment('ha', 4, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } }));
  await w.rollOut('ha');
  await w.deployments.patch('ha', 'strategic', { spec: { template: { spec: { containers: [{ name: 'app', image: `${IMAGE}-v2` }] } } } });
  // New pods are not marked ready yet, so the rollout stops half-way: 2 new pods, 3 old.
  const [old] = await w.replicaSetsOf('ha');
  const oldHash = old.metadata.labels?.['pod-template-hash'];
  const halfway = await eventually('the rollout half-way', async () => {
    const sets = await w.replicaSetsOf('ha');
    return sets.map((s) => s.spec?.replicas).join() === '3,2' && (await w.podsOf('ha')).length === 5 ? sets : undefined;
  });
  expect(second.manager.isLeader()).toBe(false);

  await first.kill();
  const killedAt = Date.now();
  const done = await eventually(
    'the rollout finished by the second process',
    async () => {
      await w.markAllReady('ha');
      const d = await w.deployments.get('ha');
      return rolledOut(d) && d.status?.replicas === 4 ? d : undefined;
    },
    20_000,
    200,
  );
  expect(second.manager.isLeader()).toBe(true);
  const lease = await client.resource(kinds.Lease, 'kube-system').get('workloads');
  expect(lease.spec?.holderIdentity).toBe('second');
  // The successor waited for the unreleased lease to run out.
  expect(Date.now() - killedAt).toBeGreaterThan(1500);

  const pods = await w.podsOf('ha');
  expect(pods).toHaveLength(4);
  expect(pods.every((p) => isReady(p) && p.metadata.labels?.['pod-template-hash'] !== oldHash)).toBe(true);
  const sets = await w.replicaSetsOf('ha');
  expect(sets.map((s) => s.metadata.name)).toEqual(halfway.map((s) => s.metadata.name));
  expect(sets.map((s) => s.spec?.replicas)).toEqual([0, 4]);
  expect(done.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
});
