/**
 * `berth describe`, `berth explain` and `berth events` against a real API server with the
 * placement controller running on plain Node objects: descriptions are what kubectl describe
 * prints (ages aside), with the events the controllers recorded; a pending pod is described
 * with the reason per node and what would make it fit.
 */
import type { Obj } from '../../src/api/object';
import { EventRecorder, kinds } from '../../src/client';
import { Kubectl } from '../support/kubectl';
import { eventually, makeNode, startControlPlane, TestControlPlane } from '../support/control-plane';
import { BerthCli } from './berth';

let plane: TestControlPlane;
let berth: BerthCli;
let kubectl: Kubectl;

// An age and the padding after it: the two outputs are read a moment apart, and an age that
// grew a digit ("9s" → "10s") widens its column by one.
const withoutAges = (text: string): string => text.replace(/\b\d+(d|h|m|s)(\d+(h|m|s))?\b( {2,})?/g, (_age, _unit, _rest, _restUnit, padding) => (padding ? '<age>  ' : '<age>'));

function pod(name: string, cpu: string, extra: Record<string, unknown> = {}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: { containers: [{ name: 'main', image: 'busybox', resources: { requests: { cpu, memory: '64Mi' } } }], ...extra },
  };
}

beforeAll(async () => {
  plane = await startControlPlane(['placement']);
  berth = new BerthCli(plane.api.url);
  kubectl = new Kubectl(plane.api.url);
  const nodes = plane.client.resource(kinds.Node);
  await nodes.create(makeNode('node-a', { cpu: '2', memory: '4Gi' }) as never);
  await nodes.create(makeNode('node-b', { cpu: '8', memory: '16Gi' }, { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' } as never] }) as never);
  const pods = plane.client.resource(kinds.Pod, 'default');
  await pods.create(pod('small', '500m') as never);
  await pods.create(pod('huge', '6') as never);
  await eventually('small to be placed on node-a', async () => (await pods.get('small')).spec?.nodeName === 'node-a');
  await eventually('huge to be reported unschedulable', async () => (await pods.get('huge')).status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False'));
});

afterAll(async () => {
  berth.dispose();
  kubectl.dispose();
  await plane.stop();
});

describe('berth describe', () => {
  it('describes a pending pod with its FailedScheduling event and, per node, why it does not fit', async () => {
    const out = await eventually('the FailedScheduling event', async () => {
      const text = await berth.ok(['describe', 'pod', 'huge']);
      return /FailedScheduling/.test(text) ? text : undefined;
    });
    expect(out).toMatch(/^Name:\s+huge$/m);
    expect(out).toMatch(/^Status:\s+Pending$/m);
    expect(out).toMatch(/^ {2}Warning\s+FailedScheduling\s+\S+\s+default-scheduler\s+0\/2 nodes are available: 1 Insufficient cpu, 1 node\(s\) had untolerated taint \{dedicated: gpu\}\.$/m);
    const placement = out.slice(out.indexOf('\nPlacement:\n'));
    expect(placement).toMatch(/node-a\s+NodeResourcesFit\s+Insufficient cpu/);
    expect(placement).toMatch(/node-b\s+TaintToleration\s+node\(s\) had untolerated taint \{dedicated: gpu\}/);
    expect(placement).toMatch(/the largest free cpu on any ready node it may use is 1500m; this pod asks 6/);
    expect(placement).toMatch(/the toleration \{key: dedicated, operator: Equal, value: gpu, effect: NoSchedule\}/);
  });

  it('describes pods, nodes and services as kubectl does', async () => {
    await kubectl.ok(['create', 'service', 'clusterip', 'small', '--tcp=80:8080']);
    await kubectl.ok(['create', 'namespace', 'limited']);
    await kubectl.ok(['create', 'quota', 'compute', '-n', 'limited', '--hard=pods=10,cpu=4', '--scopes=NotTerminating']);
    const limits = { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'bounds', namespace: 'limited' }, spec: { limits: [{ type: 'Container', max: { cpu: '2' }, min: { cpu: '100m' }, default: { cpu: '500m' }, defaultRequest: { cpu: '200m' } }] } };
    await kubectl.ok(['apply', '-f', '-'], { stdin: JSON.stringify(limits) });
    for (const args of [
      ['describe', 'namespace', 'limited'],
      ['describe', 'pod', 'small'],
      ['describe', 'node', 'node-a'],
      ['describe', 'nodes'],
      ['describe', 'service', 'small'],
      ['describe', 'namespace', 'default'],
    ]) {
      const expected = await kubectl.ok(args);
      const actual = await berth.ok(args);
      expect(withoutAges(actual)).toBe(withoutAges(expected));
    }
  });

  it('lists a node\'s pods with their share of its allocatable resources', async () => {
    const out = await berth.ok(['describe', 'node', 'node-a']);
    expect(out).toMatch(/^Non-terminated Pods:\s+\(1 in total\)$/m);
    expect(out).toMatch(/^ {2}default\s+small\s+500m \(25%\)\s+0 \(0%\)\s+64Mi \(1%\)\s+0 \(0%\)\s+\S+$/m);
    expect(out).toMatch(/^ {2}cpu\s+500m \(25%\)\s+0 \(0%\)$/m);
  });

  it('describes a deployment with the events recorded about it, in time order, as kubectl does', async () => {
    await kubectl.ok(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=3']);
    const web = await plane.client.resource(kinds.Deployment, 'default').get('web');
    const recorder = new EventRecorder(plane.client, { component: 'deployment-controller' });
    recorder.event(web, 'Normal', 'ScalingReplicaSet', 'Scaled up replica set web-5d4f8 to 3');
    recorder.event(web, 'Warning', 'ReplicaSetCreateError', 'Failed to create new replica set "web-5d4f8": quota');
    await recorder.flush();
    await eventually('both events', async () => (await plane.client.resource(kinds.Event, 'default').list({ fieldSelector: 'involvedObject.name=web' })).items.length === 2);
    await recorder.flush();
    const expected = await kubectl.ok(['describe', 'deployment', 'web']);
    const actual = await berth.ok(['describe', 'deploy/web']);
    expect(withoutAges(actual)).toBe(withoutAges(expected));
    const events = actual.slice(actual.indexOf('\nEvents:\n'));
    expect(events).toMatch(/^ {2}Type\s+Reason\s+Age\s+From\s+Message\n {2}----\s+------\s+----\s+----\s+-------$/m);
    expect(events).toMatch(/^ {2}Normal\s+ScalingReplicaSet\s+\S+\s+deployment-controller\s+Scaled up replica set web-5d4f8 to 3$/m);
    expect(events).toMatch(/^ {2}Warning\s+ReplicaSetCreateError\s+\S+\s+deployment-controller\s+Failed to create new replica set "web-5d4f8": quota$/m);
  });

  it('describes jobs and cronjobs as kubectl does', async () => {
    await kubectl.ok(['create', 'job', 'once', '--image=busybox', '--', 'echo', 'hi']);
    await kubectl.ok(['create', 'cronjob', 'nightly', '--image=busybox', '--schedule=0 3 * * *', '--', 'sh', '-c', 'date']);
    for (const args of [
      ['describe', 'job', 'once'],
      ['describe', 'cronjob', 'nightly'],
    ]) {
      const expected = await kubectl.ok(args);
      const actual = await berth.ok(args);
      expect(withoutAges(actual)).toBe(withoutAges(expected));
    }
  });

  it('describes every object of a kind, separated by blank lines, and objects by name prefix', async () => {
    const all = await berth.ok(['describe', 'pods']);
    expect(all.split(/\n\n\nName:/)).toHaveLength(2);
    const prefixed = await berth.ok(['describe', 'pod', 'hu']);
    expect(prefixed).toMatch(/^Name:\s+huge$/m);
    const missing = await berth.run(['describe', 'pod', 'nothing']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('error: pods "nothing" not found\n');
  });

  it('describes other kinds field by field', async () => {
    await kubectl.ok(['create', 'configmap', 'settings', '--from-literal=mode=fast']);
    const map = await berth.ok(['describe', 'cm', 'settings']);
    expect(map).toMatch(/^Name:\s+settings$/m);
    expect(map).toMatch(/^Data:\n {2}Mode:\s+fast$/m);
    expect(map).toMatch(/^Events:\s+<none>$/m);
  });
});

describe('berth explain', () => {
  it('explains a pending pod: the filter per node, and what would make it fit; exit 2', async () => {
    const r = await berth.run(['explain', 'huge']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^Pod default\/huge: no node can take it\n0\/2 nodes are available: 1 Insufficient cpu, 1 node\(s\) had untolerated taint \{dedicated: gpu\}\.\n/);
    expect(r.stdout).toMatch(/Rejected nodes:\n {2}NODE\s+FILTER\s+REASON\n {2}node-a\s+NodeResourcesFit\s+Insufficient cpu\n {2}node-b\s+TaintToleration\s+node\(s\) had untolerated taint \{dedicated: gpu\}\n/);
    expect(r.stdout).toMatch(/What would make it fit:\n {2}- 1 node has the taint dedicated=gpu:NoSchedule; the pod would need the toleration \{key: dedicated, operator: Equal, value: gpu, effect: NoSchedule\}\n {2}- the largest free cpu on any ready node it may use is 1500m; this pod asks 6\n/);
  });

  it('explains where a bound pod runs, with the scores of the feasible nodes; exit 0', async () => {
    const r = await berth.run(['explain', 'pod/small']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Pod default\/small runs on node-a\. Were it placed now:\nPod default\/small: goes to node-a \(score \d+; 1 feasible node of 2\)\n/);
    expect(r.stdout).toMatch(/Feasible nodes:\n {2}NODE\s+TOTAL\s+.*\n {2}node-a\s+\d+/);
    expect(r.stdout).toMatch(/node-b\s+TaintToleration/);
  });

  it('refuses what is not a pod, and says so for a pod that does not exist', async () => {
    const notPod = await berth.run(['explain', 'deploy/web']);
    expect(notPod.code).toBe(4);
    expect(notPod.stderr).toMatch(/explains pods, not deployments/);
    const missing = await berth.run(['explain', 'ghost']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('error: pods "ghost" not found\n');
  });
});

describe('berth events', () => {
  it('lists events as kubectl events does, and -A with namespaces', async () => {
    for (const args of [['events'], ['events', '-A'], ['events', '--for', 'pod/huge'], ['events', '--types', 'Warning']]) {
      const expected = await kubectl.run(args);
      const actual = await berth.run(args);
      expect(withoutAges(actual.stdout)).toBe(withoutAges(expected.stdout));
      expect(actual.stdout).not.toBe('');
    }
  });

  it('with -w prints each new event as it happens', async () => {
    const node = await plane.client.resource(kinds.Node).get('node-b');
    const recorder = new EventRecorder(plane.client, { component: 'berth-agent' });
    recorder.event(node, 'Normal', 'Starting', 'Starting berth-agent.');
    await recorder.flush();
    const watching = berth.background(['events', '-w', '--for', 'node/node-b']);
    await watching.waitFor(/Starting berth-agent/);
    recorder.event(node, 'Warning', 'NodeNotReady', 'Node node-b status is now: NodeNotReady');
    await recorder.flush();
    const out = await watching.waitFor(/NodeNotReady/);
    expect(await watching.interrupt()).toBe(0);
    expect(out).toMatch(/^\S+\s+Warning\s+NodeNotReady\s+Node\/node-b\s+Node node-b status is now: NodeNotReady$/m);
  });
});
