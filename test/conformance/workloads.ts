/**
 * A Deployment behind a Service on the real Docker engine, through kubectl: apply, wait, tables,
 * traffic through the node port, describe, logs, exec and cp, scale and every rollout command.
 */
import fs from 'node:fs';
import path from 'node:path';
import { tableRows } from '../kubectl/session';
import { request } from '../support/http';
import type { BerthUp } from './berth-up';
import { waitForJson } from './creating';
import { talkerPod, webDeployment, webService } from './manifests';

export function workloads(up: () => BerthUp): void {
  const ns = 'conformance-workloads';
  const k = () => up().kubectl;
  const n = ['-n', ns];
  /** The web pods, leaving out those already terminating. */
  const webPods = async () => ((await k().json(['get', 'pods', ...n, '-l', 'app=web'])).items as any[]).filter((p) => !p.metadata.deletionTimestamp);
  const rolloutStatus = () => k().ok(['rollout', 'status', 'deploy/web', ...n, '--timeout=120s']);
  /** The revisions `kubectl rollout history` lists (its first line names the deployment). */
  const revisions = async () => tableRows((await k().ok(['rollout', 'history', 'deploy/web', ...n])).split('\n').slice(1).join('\n')).slice(1).map((r) => r[0]);

  beforeAll(async () => {
    await k().ok(['create', 'namespace', ns]);
  });

  it('applies a Deployment and a Service and waits until the Deployment is Available', async () => {
    const file = k().file('web.yaml', `${webDeployment(up().image)}---\n${webService}`);
    expect(await k().ok(['apply', '-f', file, ...n])).toBe('deployment.apps/web created\nservice/web created\n');
    expect(await k().ok(['wait', '--for=condition=Available', 'deploy/web', ...n, '--timeout=120s'])).toBe('deployment.apps/web condition met\n');
    expect(await k().ok(['apply', '-f', file, ...n])).toBe('deployment.apps/web unchanged\nservice/web unchanged\n');
  });

  it('prints running pods with READY, STATUS, RESTARTS, and with -o wide their IP and node', async () => {
    const rows = tableRows(await k().ok(['get', 'pods', ...n, '-l', 'app=web']));
    expect(rows[0]).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(rows.slice(1).map((r) => r.slice(1, 4))).toEqual([
      ['1/1', 'Running', '0'],
      ['1/1', 'Running', '0'],
    ]);
    const wide = tableRows(await k().ok(['get', 'pods', ...n, '-l', 'app=web', '-o', 'wide']));
    expect(wide[0]).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    const pods = await webPods();
    for (const row of wide.slice(1)) {
      const pod = pods.find((p) => p.metadata.name === row[0]);
      expect(row[5]).toBe(pod.status.podIP);
      expect(row[6]).toBe(up().node);
    }
    expect(new Set(pods.map((p) => p.status.podIP)).size).toBe(2);
    const deploy = tableRows(await k().ok(['get', 'deploy', 'web', ...n]));
    expect(deploy).toEqual([['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'], ['web', '2/2', '2', '2', expect.any(String)]]);
  });

  it('serves the Service on its node port on 127.0.0.1, from both pods', async () => {
    const service = await k().json(['get', 'service', 'web', ...n]);
    const nodePort = service.spec.ports[0].nodePort;
    expect(nodePort).toBeGreaterThanOrEqual(30000);
    await waitForJson(k, ['get', 'endpoints', 'web', ...n], (e) => e.subsets?.[0]?.addresses?.length === 2);
    const hosts = new Set<string>();
    for (let i = 0; i < 10 && hosts.size < 2; i++) hosts.add((await request('GET', `http://127.0.0.1:${nodePort}/`)).text.trim());
    const names = (await webPods()).map((p) => `hello from ${p.metadata.name}`);
    expect([...hosts].sort()).toEqual(names.sort());
  });

  it('describes the pod, the deployment, the service and the node, with their events', async () => {
    const [pod] = await webPods();
    const described = await k().ok(['describe', 'pod', pod.metadata.name, ...n]);
    expect(described).toMatch(new RegExp(`Node:\\s+${up().node}/`));
    expect(described).toMatch(/Status:\s+Running/);
    expect(described).toMatch(new RegExp(`IP:\\s+${pod.status.podIP.replace(/\./g, '\\.')}`));
    expect(described).toMatch(/Controlled By:\s+ReplicaSet\/web-/);
    expect(described).toMatch(/Readiness:\s+http-get http:\/\/:http\/ delay=0s timeout=1s period=1s #success=1 #failure=3/);
    const eventLines = described.slice(described.indexOf('Events:')).split('\n').slice(3).filter((line) => line.trim() !== '');
    const events = eventLines.map((line) => line.trim().split(/\s+/)[1]);
    expect(events).toEqual(['Scheduled', 'Pulled', 'Created', 'Started']);

    const deployment = await k().ok(['describe', 'deployment', 'web', ...n]);
    expect(deployment).toMatch(/Replicas:\s+2 desired \| 2 updated \| 2 total \| 2 available \| 0 unavailable/);
    expect(deployment).toMatch(/StrategyType:\s+RollingUpdate/);
    expect(deployment).toMatch(/NewReplicaSet:\s+web-[a-z0-9]+ \(2\/2 replicas created\)/);
    expect(deployment).toMatch(/Normal\s+ScalingReplicaSet\s+\S+\s+deployment-controller\s+Scaled up replica set web-[a-z0-9]+ from 0 to 2/);

    const service = await k().ok(['describe', 'service', 'web', ...n]);
    const addresses = (await webPods()).map((p) => `${p.status.podIP}:80`).sort();
    const line = /Endpoints:\s+(\S+)/.exec(service)![1];
    expect(line.split(',').sort()).toEqual(addresses);
    expect(service).toMatch(/Type:\s+NodePort/);

    const node = await k().ok(['describe', 'node', up().node]);
    expect(node).toMatch(/Ready\s+True/);
    expect(node).toMatch(/Container Runtime Version:\s+docker:\/\//);
    expect(node).toContain(`${ns}  `);
  });

  it('prints logs of a pod, a container, the previous container, with --tail and --timestamps, and follows', async () => {
    await k().ok(['apply', '-f', k().file('talker.yaml', talkerPod(up().image)), ...n]);
    await waitForJson(k, ['get', 'pod', 'talker', ...n], (p) => (p.status?.containerStatuses ?? []).some((c: any) => c.name === 'a' && c.restartCount >= 1));
    const first = await k().run(['logs', 'talker', ...n]);
    expect(first.stderr).toContain('Defaulted container "a" out of: a, b');
    expect(await k().ok(['logs', 'talker', '-c', 'a', '--previous', ...n])).toBe('one\ntwo\nthree\n');
    expect(await k().ok(['logs', 'talker', '-c', 'a', '--previous', '--tail=1', ...n])).toBe('three\n');
    expect(await k().ok(['logs', 'talker', '-c', 'a', '--previous', '--tail=1', '--timestamps', ...n])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z three\n$/);
    expect((await k().ok(['logs', 'talker', '-c', 'b', ...n])).split('\n')[0]).toBe('bee');
    const follow = k().background(['logs', '-f', 'talker', '-c', 'b', '--tail=1', ...n]);
    try {
      const lines = await follow.waitForLines(3, 20_000);
      expect(lines.slice(0, 3)).toEqual(['tick', 'tick', 'tick']);
    } finally {
      await follow.stop();
    }
    expect(await k().ok(['logs', 'deploy/web', ...n])).toContain('web-started');
    await k().ok(['delete', 'pod', 'talker', ...n]);
  });

  it('runs commands in a pod with kubectl exec (output, stderr, exit code, stdin) and copies files with kubectl cp', async () => {
    const [pod] = await webPods();
    const name = pod.metadata.name;
    const failing = await k().run(['exec', name, ...n, '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(failing.code).toBe(3);
    expect(failing.stdout).toBe('out\n');
    expect(failing.stderr).toContain('err\n');
    expect(failing.stderr).toContain('command terminated with exit code 3');
    expect(await k().ok(['exec', '-i', name, ...n, '--', 'cat'], { stdin: 'piped in\n' })).toBe('piped in\n');
    expect(await k().ok(['exec', 'deploy/web', ...n, '--', 'cat', '/tmp/www/index.html'])).toMatch(/^hello from web-/);

    const file = k().file('copied.txt', 'copied through tar\n');
    await k().ok(['cp', file, `${ns}/${name}:/tmp/copied.txt`]);
    expect(await k().ok(['exec', name, ...n, '--', 'cat', '/tmp/copied.txt'])).toBe('copied through tar\n');
    const back = path.join(k().dir, 'back.txt');
    await k().ok(['cp', `${ns}/${name}:/tmp/copied.txt`, back]);
    expect(fs.readFileSync(back, 'utf8')).toBe('copied through tar\n');
  });

  it('scales the deployment through the scale subresource', async () => {
    expect(await k().ok(['scale', 'deploy/web', '--replicas=3', ...n])).toBe('deployment.apps/web scaled\n');
    expect(await rolloutStatus()).toContain('deployment "web" successfully rolled out');
    expect((await k().json(['get', 'deploy', 'web', ...n])).status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3 });
  });

  it('rolls out a change, shows the history, undoes to a revision, restarts, pauses and resumes', async () => {
    expect(await k().ok(['set', 'env', 'deploy/web', 'GREETING=hi', ...n])).toBe('deployment.apps/web env updated\n');
    expect(await rolloutStatus()).toContain('successfully rolled out');
    expect(await revisions()).toEqual(['1', '2']);

    expect(await k().ok(['rollout', 'undo', 'deploy/web', '--to-revision=1', ...n])).toBe('deployment.apps/web rolled back\n');
    expect(await rolloutStatus()).toContain('successfully rolled out');
    expect(await revisions()).toEqual(['2', '3']);
    const env = (await k().json(['get', 'deploy', 'web', ...n])).spec.template.spec.containers[0].env;
    expect(env ?? []).toEqual([]);

    expect(await k().ok(['rollout', 'restart', 'deploy/web', ...n])).toBe('deployment.apps/web restarted\n');
    expect(await rolloutStatus()).toContain('successfully rolled out');
    const restarted = await k().json(['get', 'deploy', 'web', ...n]);
    expect(restarted.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toBeTruthy();
    for (const pod of await webPods()) expect(pod.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']).toBeTruthy();

    expect(await k().ok(['rollout', 'pause', 'deploy/web', ...n])).toBe('deployment.apps/web paused\n');
    const replicaSets = async () => (await k().json(['get', 'rs', ...n, '-l', 'app=web'])).items.length;
    const before = await replicaSets();
    await k().ok(['set', 'env', 'deploy/web', 'PAUSED=yes', ...n]);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await replicaSets()).toBe(before);
    expect(await k().ok(['rollout', 'resume', 'deploy/web', ...n])).toBe('deployment.apps/web resumed\n');
    expect(await rolloutStatus()).toContain('successfully rolled out');
    expect(await replicaSets()).toBe(before + 1);
  });

  it('fails rollout status when the progress deadline passes (an image no registry has)', async () => {
    // A registry on a loopback port nobody listens on: the pull is tried and fails at once.
    const broken = webDeployment('127.0.0.1:9/berth-test/absent:1', { name: 'stuck', replicas: 1, progressDeadlineSeconds: 3 });
    await k().ok(['apply', '-f', k().file('stuck.yaml', broken), ...n]);
    const result = await k().run(['rollout', 'status', 'deploy/stuck', ...n, '--timeout=60s'], { timeoutMs: 70_000 });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: deployment "stuck" exceeded its progress deadline');
    // The deadline (3 s) may pass before the agent has tried the pull on a busy machine.
    const pulling = (list: any) => ['ErrImagePull', 'ImagePullBackOff'].includes(list.items[0]?.status?.containerStatuses?.[0]?.state?.waiting?.reason);
    await waitForJson(k, ['get', 'pods', ...n, '-l', 'app=stuck'], pulling, 30_000);
    await k().ok(['delete', 'deploy/stuck', ...n]);
  });
}
