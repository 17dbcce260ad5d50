/**
 * kubectl 1.32's rollout commands against the deployment and replicaset controllers: what it
 * reads (status, conditions, revisions, ReplicaSets by selector) and the patches it sends.
 */
import { Kubectl, tableRows } from '../support/kubectl';
import { startControlPlane, TestControlPlane } from '../support/control-plane';
import { IMAGE, Workloads } from './deployment-support';

let plane: TestControlPlane;
let kubectl: Kubectl;
let w: Workloads;
beforeAll(async () => {
  plane = await startControlPlane(['replicaset', 'deployment']);
  kubectl = new Kubectl(plane.api.url);
  w = new Workloads(plane.client);
});
afterAll(async () => {
  kubectl.dispose();
  await plane.stop();
});

const manifest = (name: string, extra = '') => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 3${extra}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: app
        image: ${IMAGE}
        command: [sleep, "3600"]
`;

/**
 * Runs `kubectl rollout status` while marking new pods ready, as agents would — from the moment
 * it reports the rollout in progress, so that it sees one whatever the load on the machine.
 */
async function rolloutStatus(name: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = kubectl.background(['rollout', 'status', `deploy/${name}`, '--timeout=30s']);
  let finished = false;
  void run.done.then(() => (finished = true));
  const deadline = Date.now() + 30_000;
  while (!finished && !/rollout to finish/.test(run.stdout()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  while (!finished) {
    await w.markAllReady(name);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { code: await run.done, stdout: run.stdout(), stderr: run.stderr() };
}

/** `rollout history`'s table, below its `deployment.apps/x` title line. */
async function history(name: string): Promise<string[][]> {
  const out = await kubectl.ok(['rollout', 'history', `deploy/${name}`]);
  const [title, ...table] = out.split('\n');
  expect(title).toBe(`deployment.apps/${name} `);
  return tableRows(table.join('\n'));
}

const imageOf = async (name: string) => (await w.deployments.get(name)).spec?.template.spec?.containers[0].image;

it('rollout status waits for the rollout and exits 0 when it is done', async () => {
  await kubectl.ok(['apply', '-f', '-'], { stdin: manifest('web') });
  const result = await rolloutStatus('web');
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout).toContain('deployment "web" successfully rolled out');
  expect(result.stdout).toMatch(/Waiting for deployment "web" rollout to finish: \d of 3 (updated replicas are available|new replicas have been updated)/);
});

it('rollout history lists the revisions, with the change cause recorded on the Deployment', async () => {
  await kubectl.ok(['set', 'image', 'deploy/web', `app=${IMAGE}-v2`]);
  await kubectl.ok(['annotate', 'deploy/web', 'kubernetes.io/change-cause=image v2']);
  expect((await rolloutStatus('web')).code).toBe(0);
  const rows = await history('web');
  expect(rows[0]).toEqual(['REVISION', 'CHANGE-CAUSE']);
  expect(rows.slice(1)).toEqual([
    ['1', '<none>'],
    ['2', 'image v2'],
  ]);
  const one = await kubectl.ok(['rollout', 'history', 'deploy/web', '--revision=1']);
  expect(one).toContain(`Image:\t${IMAGE}\n`);
});

it('rollout undo goes back to the previous template as a new revision, re-using its ReplicaSet', async () => {
  const before = (await w.replicaSetsOf('web')).map((rs) => rs.metadata.name);
  const undo = await kubectl.ok(['rollout', 'undo', 'deploy/web']);
  expect(undo).toContain('deployment.apps/web rolled back');
  expect(await imageOf('web')).toBe(IMAGE);
  expect((await rolloutStatus('web')).code).toBe(0);
  const after = await w.replicaSetsOf('web');
  expect(after.map((rs) => rs.metadata.name).sort()).toEqual([...before].sort());
  // Revision 1 came back as 3, with revision 1's change cause (none).
  expect((await history('web')).slice(1)).toEqual([
    ['2', 'image v2'],
    ['3', '<none>'],
  ]);
  await w.deploymentWhen('web', 'revision 3', (d) => d.metadata.annotations?.['deployment.kubernetes.io/revision'] === '3');
});

it('rollout restart starts a new rollout of the same image', async () => {
  const before = (await w.replicaSetsOf('web')).length;
  expect(await kubectl.ok(['rollout', 'restart', 'deploy/web'])).toContain('deployment.apps/web restarted');
  expect((await rolloutStatus('web')).code).toBe(0);
  const sets = await w.replicaSetsOf('web');
  expect(sets).toHaveLength(before + 1);
  const newest = sets[sets.length - 1];
  expect(newest.spec?.template?.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toBeDefined();
  expect(newest.spec?.replicas).toBe(3);
});

it('rollout status fails when the progress deadline is exceeded', async () => {
  await kubectl.ok(['apply', '-f', '-'], { stdin: manifest('stuck', '\n  progressDeadlineSeconds: 2') });
  // Nobody marks these pods ready.
  const result = await kubectl.run(['rollout', 'status', 'deploy/stuck', '--timeout=30s'], { timeoutMs: 40_000 });
  expect(result.code).not.toBe(0);
  expect(result.stderr).toContain('deployment "stuck" exceeded its progress deadline');
});

it('kubectl get shows the Deployment and its ReplicaSets with their counts', async () => {
  const deployments = tableRows(await kubectl.ok(['get', 'deploy', 'web']));
  expect(deployments[0]).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
  expect(deployments[1].slice(0, 4)).toEqual(['web', '3/3', '3', '3']);
  const sets = tableRows(await kubectl.ok(['get', 'rs', '-l', 'app=web']));
  expect(sets.slice(1).map((r) => r.slice(1, 4).join('/')).sort()).toEqual(['0/0/0', '0/0/0', '3/3/3']);
});
