/**
 * Many simulated nodes in one process, for scale tests of the control plane (as kubemark and kwok
 * do): each node registers, renews its Lease and reports status like a real agent, and its pods
 * turn Running without anything running. They share one client, one informer per kind (all bound
 * pods, filtered in memory by spec.nodeName: a thousand nodes are one watch, not a thousand), one
 * pod controller and one log endpoint.
 */
import { setMaxListeners } from 'node:events';
import path from 'node:path';
import type { Node } from '../api/types';
import type { NodeLogs } from '../apiserver/node-logs';
import { Client, EventRecorder, kinds, Manager } from '../client';
import { errorMessage, logger } from '../log';
import { localNodeLogs, LogServer, PodLookup } from './logs/log-server';
import { goArch, hostIdentity, primaryAddress } from './node/host';
import { nodeAddresses } from './node/node-object';
import { NodeReporter } from './node/node-reporter';
import { PodSyncer } from './pod-sync/syncer';
import { addPodController } from './pods/pod-controller';
import { AgentNode } from './pods/pod-reconciler';
import { followRuntimeChanges } from './pods/runtime-changes';
import { SimulatedRuntime } from './runtime/simulated/simulated-runtime';

export interface SimulatedNodesOptions {
  client: Client;
  /** Nodes are named `<prefix>-0001`, `<prefix>-0002` ... */
  prefix: string;
  count: number;
  dataDir: string;
  /** Each node's resources (default cpu 32, memory 256Gi, pods 110, as kwok's). */
  capacity?: Record<string, string>;
  labels?: Record<string, string>;
  /** How long a simulated container takes to turn Running (default 0). */
  startDelayMs?: number;
  /** The address every simulated node reports (default: the host's), where its log endpoint is. */
  nodeIP?: string;
  logs?: { token: string; port?: number; host?: string };
  workers?: number;
  /** Registrations at once (default 32). */
  registerConcurrency?: number;
  renewEveryMs?: number;
  checkEveryMs?: number;
  /** Status without changes is written this often (default 5 minutes, kubelet's report frequency). */
  reportEveryMs?: number;
}

export interface SimulatedNodes {
  names: string[];
  logs?: { url: string; port: number };
  nodeLogs: NodeLogs;
  stop(): Promise<void>;
}

export const simulatedNodeName = (prefix: string, i: number, count: number): string =>
  `${prefix}-${String(i + 1).padStart(Math.max(4, String(count).length), '0')}`;

export async function startSimulatedNodes(options: SimulatedNodesOptions): Promise<SimulatedNodes> {
  const log = logger('simulated-nodes', { prefix: options.prefix });
  const stop = new AbortController();
  const signal = stop.signal;
  // Every node's loops listen to it.
  setMaxListeners(0, signal);
  const manager = new Manager({ client: options.client, leaderElection: false });
  const recorder = new EventRecorder(options.client, { component: 'kubelet', host: options.prefix });
  const nodeIP = options.nodeIP ?? primaryAddress();
  const nodes = new Map<string, AgentNode>();
  const names = Array.from({ length: options.count }, (_, i) => simulatedNodeName(options.prefix, i, options.count));

  let podController: ReturnType<typeof addPodController> | undefined;
  const lookup: PodLookup = (namespace, name) => {
    const found = podController?.reconciler.lookup(namespace, name);
    return found ? { pod: found.pod, runtime: found.node.runtime } : undefined;
  };
  const logServer = options.logs ? await LogServer.start({ token: options.logs.token, lookup, host: options.logs.host, port: options.logs.port }) : undefined;

  const nodeInformer = manager.informers.for(kinds.Node);
  const identity = { ...hostIdentity(), osImage: 'berth simulated node', architecture: goArch() };
  const capacity = { cpu: '32', memory: '256Gi', pods: '110', 'ephemeral-storage': '100Gi', ...options.capacity };
  const enqueueUid = (uid: string) => {
    const key = podController?.reconciler.keyOfUid(uid);
    if (key) podController!.enqueue(key);
  };
  const reporters = names.map((name, i) => {
    const runtime = new SimulatedRuntime({ node: name, startDelayMs: options.startDelayMs, subnetPrefix: `10.${128 + (i % 120)}` });
    const syncer = new PodSyncer({ runtime, dataDir: path.join(options.dataDir, name), hostIP: nodeIP, onProbeChange: enqueueUid });
    nodes.set(name, { name, runtime, syncer, allocatable: capacity });
    const renewEveryMs = options.renewEveryMs ?? 10_000;
    return new NodeReporter({
      client: options.client,
      description: {
        name,
        labels: { ...options.labels, 'berth.dev/simulated': 'true' },
        addresses: nodeAddresses(nodeIP, name),
        capacity,
        identity: { ...identity, machineID: name, systemUUID: name },
        runtimeVersion: 'simulated://1',
        logPort: logServer?.port,
      },
      health: async () => ({ runtimeVersion: 'simulated://1' }),
      stored: () => nodeInformer.get(name) as Node | undefined,
      checkEveryMs: options.checkEveryMs,
      renewEveryMs,
      reportEveryMs: options.reportEveryMs ?? 5 * 60_000,
      // Spread a thousand heartbeats over the period instead of sending them in one burst.
      firstBeatDelayMs: Math.floor(Math.random() * renewEveryMs),
    });
  });

  podController = addPodController({ manager, nodes, scope: { fieldSelector: 'spec.nodeName!=' }, recorder, workers: options.workers ?? 32 });

  const concurrency = options.registerConcurrency ?? 32;
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, reporters.length) }, async () => {
      while (next < reporters.length && !signal.aborted) await reporters[next++].register(signal);
    }),
  );
  log.info('simulated nodes registered', { count: names.length });

  const running = [
    manager.run(signal).catch((error) => log.error('the pod controller stopped', { error: errorMessage(error) })),
    ...reporters.map((r) => r.run(signal)),
    ...[...nodes.values()].map((n) => followRuntimeChanges(n.runtime, { changed: enqueueUid, resync: () => undefined }, signal)),
  ];
  return {
    names,
    logs: logServer ? { url: logServer.url, port: logServer.port } : undefined,
    nodeLogs: localNodeLogs(lookup),
    stop: async () => {
      stop.abort();
      await Promise.all(running);
      await logServer?.close();
      await recorder.flush();
      for (const node of nodes.values()) {
        node.syncer.dispose();
        await node.runtime.close();
      }
    },
  };
}
