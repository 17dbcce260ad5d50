/**
 * A node's runtime and pod syncer on the real Docker engine, for the agent's Docker tests: its
 * own network and data dir, everything labelled with the run, and pods driven the way the agent
 * will drive them (sync, write the status back, sync again).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { Pod } from '../../src/api/types';
import { noInputs, PodInputs } from '../../src/agent/pod-sync/env';
import { PodEvent, PodSyncer } from '../../src/agent/pod-sync/syncer';
import { DockerRuntime } from '../../src/agent/runtime/docker/docker-runtime';
import { busyboxImage, removeTestObjects, requireDocker, testRun } from '../support/busybox-image';

export interface Node {
  docker: Docker;
  image: string;
  runtime: DockerRuntime;
  syncer: PodSyncer;
  node: string;
  network: string;
  dataDir: string;
  labels: Record<string, string>;
  /** Syncs until `done(pod)` holds (the pod's status written back each time); returns the events seen. */
  drive(pod: Pod, done: (pod: Pod) => boolean, options?: { inputs?: PodInputs; timeoutMs?: number }): Promise<PodEvent[]>;
  /** Another runtime and syncer for the same node, as after an agent restart. */
  restartAgent(): Promise<{ runtime: DockerRuntime; syncer: PodSyncer }>;
  close(): Promise<void>;
}

export async function dockerNode(name: string): Promise<Node> {
  const docker = await requireDocker();
  const image = await busyboxImage(docker);
  const run = testRun(name);
  const node = `node-${run.value}`;
  const network = `berth-test-${run.value}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `berth-${name}-`));
  const syncers: PodSyncer[] = [];
  // The engine's events, followed as the agent follows them (what they tell, such as a late OOM, counts).
  const watching = new AbortController();
  const make = async () => {
    const runtime = new DockerRuntime({ node, network, labels: run.labels, docker });
    await runtime.prepare();
    void runtime.watchChanges(() => undefined, watching.signal).catch(() => undefined);
    const syncer = new PodSyncer({ runtime, dataDir, hostIP: '127.0.0.1', labels: run.labels });
    syncers.push(syncer);
    return { runtime, syncer };
  };
  const { runtime, syncer } = await make();
  return {
    docker,
    image,
    runtime,
    syncer,
    node,
    network,
    dataDir,
    labels: run.labels,
    async drive(pod, done, options = {}) {
      const events: PodEvent[] = [];
      const deadline = Date.now() + (options.timeoutMs ?? 20_000);
      for (;;) {
        const result = await syncer.sync(pod, options.inputs ?? noInputs);
        pod.status = result.status;
        events.push(...result.events);
        if (done(pod)) return events;
        if (Date.now() > deadline) throw new Error(`pod ${pod.metadata.name} did not get there in time; status: ${JSON.stringify(pod.status)}`);
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    },
    restartAgent: make,
    async close() {
      watching.abort();
      for (const s of syncers) s.dispose();
      await removeTestObjects(docker, run.value);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function testPod(name: string, spec: NonNullable<Pod['spec']>): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid: randomUUID() }, spec: { terminationGracePeriodSeconds: 1, ...spec } };
}

export const running = (pod: Pod): boolean =>
  pod.status?.phase === 'Running' && (pod.status.containerStatuses ?? []).every((s) => s.state?.running);

export const ready = (pod: Pod): boolean => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += chunk.toString();
  return out;
}
