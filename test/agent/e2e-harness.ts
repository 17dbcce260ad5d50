/**
 * A whole cluster for the agent's end-to-end tests: a real API server (SQLite) with the chosen
 * controllers, pods/log wired to the agents through AgentLogs and a shared token, and a real agent
 * on the real Docker engine with the busybox test image, on a network and labels of its own (so
 * the test's containers are found and removed afterwards, whatever happened).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { Pod } from '../../src/api/types';
import { AgentOptions, RunningAgent, startAgent } from '../../src/agent/agent';
import { AgentExec } from '../../src/apiserver/agent-exec';
import { AgentLogs } from '../../src/apiserver/agent-logs';
import { Client, kinds } from '../../src/client';
import { busyboxImage, removeTestObjects, requireDocker, testRun } from '../support/busybox-image';
import { eventually, startControlPlane, TestControlPlane } from '../support/control-plane';

export interface AgentCluster {
  plane: TestControlPlane;
  client: Client;
  docker: Docker;
  image: string;
  node: string;
  network: string;
  dataDir: string;
  token: string;
  run: { labels: Record<string, string>; value: string };
  agent: RunningAgent;
  /** Options the agent was started with, to start another one like it. */
  agentOptions: AgentOptions;
  /** Stops the agent (containers stay) and starts a new one for the same node. */
  restartAgent(overrides?: Partial<AgentOptions>): Promise<RunningAgent>;
  stop(): Promise<void>;
}

export async function startAgentCluster(name: string, controllers: string[], overrides: Partial<AgentOptions> = {}): Promise<AgentCluster> {
  const docker = await requireDocker();
  const image = await busyboxImage(docker);
  const run = testRun(name);
  const token = randomBytes(16).toString('hex');
  const plane = await startControlPlane(controllers);
  plane.api.server.services.nodeLogs = new AgentLogs({ token });
  plane.api.server.services.nodeExec = new AgentExec({ token });
  const node = `node-${run.value}`;
  const network = `berth-test-${run.value}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `berth-e2e-${name}-`));
  const agentOptions: AgentOptions = {
    client: plane.client,
    node,
    runtime: 'docker',
    dataDir,
    network,
    nodeIP: '127.0.0.1',
    runtimeLabels: run.labels,
    logs: { token, host: '127.0.0.1', port: 0 },
    serviceProxy: { addresses: ['127.0.0.1'] },
    checkEveryMs: 1_000,
    ...overrides,
  };
  const cluster: AgentCluster = {
    plane,
    client: plane.client,
    docker,
    image,
    node,
    network,
    dataDir,
    token,
    run,
    agent: await startAgent(agentOptions),
    agentOptions,
    async restartAgent(more = {}) {
      await cluster.agent.stop();
      cluster.agent = await startAgent({ ...agentOptions, ...more });
      return cluster.agent;
    },
    async stop() {
      await cluster.agent.stop();
      await plane.stop();
      await removeTestObjects(docker, run.value);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return cluster;
}

/** A pod bound to the node at creation, as placement would bind it. */
export function boundPod(cluster: AgentCluster, name: string, spec: Omit<NonNullable<Pod['spec']>, 'nodeName'>, labels: Record<string, string> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels },
    spec: { terminationGracePeriodSeconds: 2, ...spec, nodeName: cluster.node },
  };
}

export const isRunning = (pod: Pod | undefined): boolean =>
  pod?.status?.phase === 'Running' && (pod.status.containerStatuses ?? []).every((s) => s.state?.running);

export const isReady = (pod: Pod | undefined): boolean => pod?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** Waits until the pod satisfies `done`, reading it through the API. */
export async function waitForPod(cluster: AgentCluster, name: string, done: (pod: Pod) => boolean, timeoutMs = 30_000): Promise<Pod> {
  const pods = cluster.client.resource(kinds.Pod, 'default');
  return eventually(`pod ${name} to get there`, async () => {
    const pod = await pods.get(name);
    return done(pod) ? pod : undefined;
  }, timeoutMs);
}

/** What the agent's containers look like on the engine: id → started at, per pod and container. */
export async function containerStarts(cluster: AgentCluster): Promise<Map<string, string>> {
  const listed = await cluster.docker.listContainers({ all: true, filters: { label: [`berth.test=${cluster.run.value}`] } });
  const starts = new Map<string, string>();
  for (const c of listed) {
    const info = await cluster.docker.getContainer(c.Id).inspect();
    starts.set(c.Id, `${info.State.StartedAt} ${info.State.Status} restarts=${info.RestartCount}`);
  }
  return starts;
}
