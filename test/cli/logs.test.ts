/**
 * `berth logs` end to end: a real API server whose pods/log asks the node agent, a real agent
 * running busybox containers on the real Docker engine, and the berth binary reading through
 * the API: default container (and the note when there are several), -c, --tail, -f,
 * --previous, a pod picked for a workload, and the API's own errors.
 */
import { kinds } from '../../src/client';
import { AgentCluster, boundPod, isRunning, startAgentCluster, waitForPod } from '../agent/e2e-harness';
import { eventually } from '../support/control-plane';
import { BerthCli } from './berth';

let cluster: AgentCluster;
let berth: BerthCli;

beforeAll(async () => {
  cluster = await startAgentCluster('cli-logs', []);
  berth = new BerthCli(cluster.plane.api.url);
  const pods = cluster.client.resource(kinds.Pod, 'default');
  await pods.create(
    boundPod(
      cluster,
      'talker',
      {
        containers: [
          { name: 'main', image: cluster.image, command: ['sh', '-c', 'for i in 1 2 3 4 5; do echo "line $i"; done; i=0; while true; do i=$((i+1)); echo "tick $i"; sleep 0.3; done'] },
          { name: 'side', image: cluster.image, command: ['sh', '-c', 'echo "from the side"; sleep 3600'] },
        ],
      },
      { app: 'talkers' },
    ),
  );
  await pods.create(boundPod(cluster, 'crasher', { containers: [{ name: 'main', image: cluster.image, command: ['sh', '-c', 'echo "run at $(date +%s)"; sleep 5; exit 3'] }] }));
  await waitForPod(cluster, 'talker', isRunning, 60_000);
  await cluster.client.resource(kinds.ReplicaSet, 'default').create({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'talkers', namespace: 'default' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'talkers' } }, template: { metadata: { labels: { app: 'talkers' } }, spec: { containers: [{ name: 'main', image: cluster.image }] } } },
  } as never);
}, 120_000);

afterAll(async () => {
  berth?.dispose();
  await cluster?.stop();
});

describe('berth logs', () => {
  it("prints the first container's log and says which one it chose among several", async () => {
    const r = await berth.run(['logs', 'talker']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^line 1\nline 2\nline 3\nline 4\nline 5\n/);
    expect(r.stderr).toBe('Defaulted container "main" out of: main, side\n');
  });

  it('prints the container named with -c, and only the last lines with --tail', async () => {
    expect(await berth.ok(['logs', 'pod/talker', '-c', 'side'])).toBe('from the side\n');
    const tail = await berth.ok(['logs', 'talker', '-c', 'main', '--tail', '2']);
    expect(tail.split('\n').filter(Boolean)).toHaveLength(2);
    expect(tail).toMatch(/^tick \d+\ntick \d+\n$/);
  });

  it('follows with -f: lines written after it started arrive, until Ctrl-C', async () => {
    const follow = berth.background(['logs', '-f', 'talker', '-c', 'main', '--tail', '1']);
    const first = Number(/tick (\d+)/.exec(await follow.waitFor(/tick \d+/))![1]);
    await follow.waitFor(new RegExp(`tick ${first + 3}\\n`), 15_000);
    expect(await follow.interrupt()).toBe(0);
  });

  it('picks a pod of a workload: rs/NAME', async () => {
    const r = await berth.run(['logs', 'rs/talkers', '-c', 'side']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('from the side\n');
  });

  it("prints the previous instance's log with --previous once a container restarted", async () => {
    await waitForPod(cluster, 'crasher', (pod) => (pod.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1, 60_000);
    // Each instance prints the second it started; a restart comes after a back-off of seconds.
    // As upstream, `logs` and `logs --previous` show the same instance while the container waits
    // in back-off: the two differ only while a new instance runs, five seconds each time.
    const [previous, current] = await eventually('a restarted instance with a log of its own', async () => {
      const logs = [await berth.ok(['logs', 'crasher', '--previous']), await berth.ok(['logs', 'crasher'])];
      return logs[0] !== logs[1] ? logs : undefined;
    }, 60_000, 1000);
    expect(previous).toMatch(/^run at \d+\n$/);
    expect(current).toMatch(/^run at \d+\n$/);
    expect(Number(current.slice(7))).toBeGreaterThan(Number(previous.slice(7)));
  }, 90_000);

  it('passes on what the API answers when there is no log to give', async () => {
    await cluster.client.resource(kinds.Pod, 'default').create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'unplaced', namespace: 'default' },
      spec: { containers: [{ name: 'main', image: cluster.image }] },
    } as never);
    const unplaced = await berth.run(['logs', 'unplaced']);
    expect(unplaced.code).toBe(1);
    expect(unplaced.stderr).toBe('error: container "main" in pod "unplaced" is waiting to start: the pod is not scheduled yet\n');
    const wrong = await berth.run(['logs', 'talker', '-c', 'nope']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe('error: container nope is not valid for pod talker\n');
    const missing = await berth.run(['logs', 'ghost']);
    expect(missing.stderr).toBe('error: pods "ghost" not found\n');
  });
});
