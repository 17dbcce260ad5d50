/**
 * A control plane for integration tests: a real API server (SQLite or etcd) and a Manager running
 * the chosen controllers against it, plus a client for the test to act and observe with.
 * Nodes can be plain Node objects (`makeNode`); no agent is needed.
 */
import { ControllerSettings, defaultControllerSettings, selectControllers } from '../../controllers';
import { Client, kinds, Manager } from '../../src/client';
import type { Obj } from '../../src/api/object';
import { Backend, startTestApiServer, TestApiServer } from './api-server';

export interface TestControlPlane {
  api: TestApiServer;
  client: Client;
  manager: Manager;
  stop(): Promise<void>;
}

export async function startControlPlane(
  controllers: string[],
  options: { backend?: Backend; settings?: Partial<ControllerSettings>; leaderElection?: boolean } = {},
): Promise<TestControlPlane> {
  const api = await startTestApiServer(options.backend ?? 'sqlite');
  const client = new Client({ server: api.url, insecureSkipTlsVerify: false, namespace: 'default', source: 'test' });
  const manager = new Manager({
    client,
    leaderElection: options.leaderElection ? { name: 'berth-controllers', namespace: 'kube-system', identity: 'test' } : false,
  });
  const settings = { ...defaultControllerSettings, ...options.settings };
  for (const entry of selectControllers(controllers)) manager.add((tools) => entry.create(tools, settings));
  const stop = new AbortController();
  const running = manager.run(stop.signal).catch(() => undefined);
  return {
    api,
    client,
    manager,
    stop: async () => {
      stop.abort();
      await running;
      client.close();
      await api.stop();
    },
  };
}

/** A Node as an agent would register it: Ready, with the given capacity and labels. */
export function makeNode(name: string, capacity: { cpu?: string; memory?: string; pods?: string } = {}, extra: { labels?: Record<string, string>; taints?: Obj[]; unschedulable?: boolean } = {}): Obj {
  const resources = { cpu: capacity.cpu ?? '4', memory: capacity.memory ?? '8Gi', pods: capacity.pods ?? '110', 'ephemeral-storage': '100Gi' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', ...extra.labels } },
    spec: { taints: extra.taints, unschedulable: extra.unschedulable },
    status: {
      capacity: resources,
      allocatable: resources,
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ready', lastHeartbeatTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }],
      addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: name }],
      nodeInfo: { machineID: name, systemUUID: name, bootID: name, kernelVersion: '6', osImage: 'test', containerRuntimeVersion: 'simulated://1', kubeletVersion: 'v1.32.0', kubeProxyVersion: 'v1.32.0', operatingSystem: 'linux', architecture: 'amd64' },
    },
  };
}

/** Polls until `check` returns something other than undefined/false, or fails with what it last saw. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 20000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last instanceof Error ? last.message : String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export { kinds };
