/**
 * The node agent: one node, one runtime, everything it needs to run the pods bound to it.
 *
 *   startAgent()
 *     ├─ runtime (docker, process, simulated) and its PodSyncer
 *     ├─ log endpoint (with a token)          ── its port goes into the Node
 *     ├─ NodeReporter: register the Node, renew its Lease, report conditions
 *     ├─ Manager (no election): informers on this node's pods, ConfigMaps, Secrets, Services,
 *     │    Endpoints, the Node ── pod controller (PodReconciler, 16 workers)
 *     ├─ runtime changes (Docker events) ──► the pod concerned is synced at once
 *     ├─ orphan sweep: containers of pods the API no longer has are removed (at start, every minute)
 *     └─ ServiceProxy: nodePorts forwarded to ready endpoints
 *
 * `stop()` stops all of that and leaves the containers running: a new agent adopts them.
 */
import { setMaxListeners } from 'node:events';
import { BadRequest } from '../api/errors';
import { Node, Pod } from '../api/types';
import type { NodeExec } from '../apiserver/node-exec';
import type { NodeLogs } from '../apiserver/node-logs';
import { Client, EventRecorder, Informer, kinds, Manager } from '../client';
import { sleep } from '../client/abort';
import { errorMessage, logger } from '../log';
import { localNodeExec } from './exec/serve-exec';
import { localNodeLogs, LogServer, PodLookup } from './logs/log-server';
import { hostCapacity, hostIdentity, primaryAddress, readPressure } from './node/host';
import { nodeAddresses, NodeDescription } from './node/node-object';
import { NodeReporter } from './node/node-reporter';
import { RuntimeHealth } from './node/runtime-health';
import { PodSyncer } from './pod-sync/syncer';
import { addPodController } from './pods/pod-controller';
import { AgentNode } from './pods/pod-reconciler';
import { followRuntimeChanges } from './pods/runtime-changes';
import { createRuntime } from './runtime/create-runtime';
import { ContainerRuntime, RuntimeKind } from './runtime/runtime';
import { ServiceProxy } from './service-proxy/service-proxy';

export interface AgentOptions {
  client: Client;
  /** The Node's name. */
  node: string;
  /** A runtime kind to create, or a runtime made by the caller. */
  runtime: RuntimeKind | ContainerRuntime;
  /** Pod volumes (and the process runtime's state) live here. */
  dataDir: string;
  dockerSocket?: string;
  /** The Docker network pods join (default "berth") and its subnet when created. */
  network?: string;
  subnet?: string;
  /** Resources that override what the host reports: `{ cpu: '4', memory: '8Gi' }`. */
  capacity?: Record<string, string>;
  /** Node labels besides the well-known ones. */
  labels?: Record<string, string>;
  /** The node's InternalIP (default: the host's primary IPv4 address). */
  nodeIP?: string;
  /** Serve pod logs to the API server: requests must carry this token. Without it the node serves no logs. */
  logs?: { token: string; port?: number; host?: string };
  /** Forward nodePorts (default: on the node IP and 127.0.0.1); false: no service proxy. */
  serviceProxy?: false | { addresses?: string[] };
  /** Labels put on every container (tests mark theirs). */
  runtimeLabels?: Record<string, string>;
  workers?: number;
  /** Each pod is synced at least this often (default 60 s). */
  resyncMs?: number;
  /** How often the node's health is looked at (default 10 s), the Lease renewed (10 s), status reported regardless (60 s). */
  checkEveryMs?: number;
  renewEveryMs?: number;
  reportEveryMs?: number;
}

export interface RunningAgent {
  node: string;
  runtime: ContainerRuntime;
  /** Where the log endpoint listens (its port is in the Node's daemonEndpoints); absent without a token. */
  logs?: { url: string; port: number };
  /** The same logs for an API server in this process (`ApiServerOptions.nodeLogs`), without HTTP. */
  nodeLogs: NodeLogs;
  /** Commands in this node's pods for an API server in this process (`ApiServerOptions.nodeExec`). */
  nodeExec: NodeExec;
  /** Whether the node's last look found its runtime able to run pods. */
  isReady(): boolean;
  /** Stops the agent; running containers stay (a new agent adopts them). */
  stop(): Promise<void>;
}

export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  if (!options.node) throw new BadRequest('the agent needs a node name');
  const log = logger('agent', { node: options.node });
  const stop = new AbortController();
  const signal = stop.signal;
  // Informers, loops and streams each listen to it: more than Node's default warning threshold.
  setMaxListeners(100, signal);
  const runtime =
    typeof options.runtime === 'string'
      ? createRuntime({
          kind: options.runtime,
          node: options.node,
          dataDir: options.dataDir,
          hostIP: options.nodeIP,
          dockerSocket: options.dockerSocket,
          network: options.network,
          subnet: options.subnet,
          labels: options.runtimeLabels,
        })
      : options.runtime;
  const nodeIP = options.nodeIP ?? primaryAddress();
  const nodes = new Map<string, AgentNode>();
  const manager = new Manager({ client: options.client, leaderElection: false });
  const recorder = new EventRecorder(options.client, { component: 'kubelet', host: options.node });

  let podController: ReturnType<typeof addPodController> | undefined;
  const lookup: PodLookup = (namespace, name) => {
    const found = podController?.reconciler.lookup(namespace, name);
    return found ? { pod: found.pod, runtime: found.node.runtime } : undefined;
  };
  const logServer = options.logs ? await LogServer.start({ token: options.logs.token, lookup, host: options.logs.host, port: options.logs.port }) : undefined;

  const identity = hostIdentity();
  const description: NodeDescription = {
    name: options.node,
    labels: options.labels,
    addresses: nodeAddresses(nodeIP, identity.hostname),
    capacity: { ...hostCapacity(options.dataDir), ...options.capacity },
    identity,
    runtimeVersion: `${runtime.kind}://unknown`,
    logPort: logServer?.port,
  };
  const nodeInformer = manager.informers.for(kinds.Node, { fieldSelector: `metadata.name=${options.node}` });
  const health = new RuntimeHealth(runtime);
  const reporter = new NodeReporter({
    client: options.client,
    description,
    health: async () => ({ ...(await health.check()), ...readPressure(options.dataDir) }),
    stored: () => nodeInformer.get(options.node) as Node | undefined,
    recorder,
    checkEveryMs: options.checkEveryMs,
    renewEveryMs: options.renewEveryMs,
    reportEveryMs: options.reportEveryMs,
    onReadyChange: (ready) => {
      // Back from an outage: every pod wants a look (containers may have stopped with the engine).
      if (ready && podController) for (const key of podController.reconciler.keysOn(options.node)) podController.enqueue(key);
    },
  });

  const syncer = new PodSyncer({
    runtime,
    dataDir: options.dataDir,
    hostIP: nodeIP,
    labels: options.runtimeLabels,
    onProbeChange: (uid) => enqueueUid(uid),
  });
  nodes.set(options.node, { name: options.node, runtime, syncer, allocatable: description.capacity, runtimeFailed: () => reporter.poke() });
  podController = addPodController({
    manager,
    nodes,
    scope: { fieldSelector: `spec.nodeName=${options.node}` },
    recorder,
    workers: options.workers,
    resyncMs: options.resyncMs,
  });
  const enqueueUid = (uid: string) => {
    const key = podController?.reconciler.keyOfUid(uid);
    if (key) podController!.enqueue(key);
  };

  const proxy =
    options.serviceProxy === false
      ? undefined
      : new ServiceProxy({
          services: manager.informers.for(kinds.Service),
          endpoints: manager.informers.for(kinds.Endpoints),
          addresses: options.serviceProxy?.addresses ?? [...new Set([nodeIP, '127.0.0.1'])],
        });

  const registered = await reporter.register(signal);
  if (!registered) throw new Error(`the agent of node ${options.node} stopped before it registered`);
  const running = [
    manager.run(signal).catch((error) => log.error('the pod controller stopped', { error: errorMessage(error) })),
    reporter.run(signal),
    followRuntimeChanges(
      runtime,
      {
        changed: enqueueUid,
        resync: () => {
          reporter.poke();
          for (const key of podController!.reconciler.keysOn(options.node)) podController!.enqueue(key);
        },
        failed: () => reporter.poke(),
      },
      signal,
    ),
    sweepOrphans(syncer, podController.pods, options.node, () => reporter.isReady(), signal),
  ];
  proxy?.start();
  log.info('agent started', { runtime: runtime.kind, nodeIP, logPort: logServer?.port });

  return {
    node: options.node,
    runtime,
    logs: logServer ? { url: logServer.url, port: logServer.port } : undefined,
    nodeLogs: localNodeLogs(lookup),
    nodeExec: localNodeExec(lookup),
    isReady: () => reporter.isReady(),
    stop: async () => {
      stop.abort();
      await Promise.all(running);
      await proxy?.stop();
      await logServer?.close();
      await recorder.flush();
      syncer.dispose();
      await runtime.close();
      log.info('agent stopped');
    },
  };
}

/**
 * Removes the containers of pods the API no longer has for this node: once the pods are listed,
 * then every minute (a deletion seen by nobody, e.g. while the agent was down).
 */
async function sweepOrphans(
  syncer: PodSyncer,
  pods: Informer<Pod>,
  node: string,
  ready: () => boolean,
  signal: AbortSignal,
  everyMs = 60_000,
): Promise<void> {
  if (!(await pods.waitForSync(signal))) return;
  const log = logger('agent', { node });
  while (!signal.aborted) {
    if (ready()) {
      const live = new Set(pods.list().filter((p) => p.spec?.nodeName === node).map((p) => p.metadata.uid ?? ''));
      try {
        await syncer.removeOrphans(live);
      } catch (error) {
        log.warn('could not remove the containers of deleted pods', { error: errorMessage(error) });
      }
    }
    await sleep(ready() ? everyMs : 2_000, signal);
  }
}
