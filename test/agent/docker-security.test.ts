/**
 * What a container may do, enforced by the real Docker engine: the user it runs as, a read-only
 * root filesystem, cpu and memory limits, a hostPath volume, and a privileged container refused
 * on a node that does not allow them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Pod } from '../../src/api/types';
import { podLogs } from '../../src/agent/logs/pod-logs';
import { eventually } from '../support/control-plane';
import { dockerNode, Node, readAll, testPod } from './harness';

let node: Node;
let hostDir: string;
beforeAll(async () => {
  node = await dockerNode('security');
  hostDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-hostpath-'));
  fs.writeFileSync(path.join(hostDir, 'greeting'), 'hello from the host\n');
}, 60_000);
afterAll(async () => {
  await node?.close();
  fs.rmSync(hostDir, { recursive: true, force: true });
});

const finished = (pod: Pod) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

async function output(pod: Pod, container: string): Promise<string> {
  return readAll(await podLogs(node.runtime, pod, { container }));
}

it('runs as the user the security context names, on a read-only root filesystem where asked', async () => {
  const pod = testPod('who', {
    restartPolicy: 'Never',
    securityContext: { runAsUser: 1234, runAsGroup: 2345 },
    containers: [
      {
        name: 'app',
        image: node.image,
        command: ['sh', '-c', 'echo "uid=$(id -u) gid=$(id -g)"; if touch /probe 2>/dev/null; then echo writable; else echo read-only; fi'],
        securityContext: { readOnlyRootFilesystem: true },
      },
    ],
  });
  await node.drive(pod, finished);
  expect(pod.status!.phase).toBe('Succeeded');
  expect(await output(pod, 'app')).toBe('uid=1234 gid=2345\nread-only\n');
});

it('gives Docker the cpu and memory limits, and mounts a hostPath volume', async () => {
  const pod = testPod('limited', {
    containers: [
      {
        name: 'app',
        image: node.image,
        command: ['sh', '-c', 'cat /host/greeting; sleep 3600'],
        resources: { limits: { cpu: '250m', memory: '32Mi' }, requests: { cpu: '100m', memory: '16Mi' } },
        volumeMounts: [{ name: 'host', mountPath: '/host', readOnly: true }],
      },
    ],
    volumes: [{ name: 'host', hostPath: { path: hostDir, type: 'Directory' } }],
  });
  await node.drive(pod, (p) => p.status?.phase === 'Running');
  const id = pod.status!.containerStatuses![0].containerID!.replace('docker://', '');
  const inspected = await node.docker.getContainer(id).inspect();
  expect(inspected.HostConfig.CpuQuota).toBe(25_000);
  expect(inspected.HostConfig.CpuPeriod).toBe(100_000);
  expect(inspected.HostConfig.Memory).toBe(32 * 2 ** 20);
  // Running comes as the container starts: its first line may not be written yet.
  expect(await eventually('the greeting in the log', async () => (await output(pod, 'app')) || undefined, 10_000)).toBe('hello from the host\n');
});

it('refuses a privileged container on a node that does not allow them, and keeps the pod', async () => {
  const pod = testPod('mighty', { containers: [{ name: 'app', image: node.image, command: ['sleep', '3600'], securityContext: { privileged: true } }] });
  await node.drive(pod, (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CreateContainerConfigError');
  expect(pod.status!.phase).toBe('Pending');
  expect(pod.status!.containerStatuses![0].state!.waiting!.message).toMatch(/privileged containers are not allowed on this node/);
});
