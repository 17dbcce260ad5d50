/**
 * The simulated runtime: nothing runs. Containers turn Running after a configurable delay and
 * stay so until stopped, or exit by themselves when their environment asks for it
 * (SIMULATED_EXIT_CODE, after SIMULATED_RUN_SECONDS — so Jobs complete on simulated nodes).
 * Each instance is one node with its own pod addresses, all in memory: many nodes fit in one
 * process, for placement at scale and control-plane tests.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { formatRecord, LogRecord, nanoTime } from '../../logs/log-file';
import { ContainerNotFound, ImagePullFailed } from '../errors';
import {
  ContainerInfo,
  ContainerRuntime,
  ContainerSpec,
  ExecResult,
  ExecSession,
  ImageInfo,
  ListFilter,
  LogOptions,
  PullPolicy,
  RuntimeVersion,
  SandboxInfo,
  SandboxSpec,
} from '../runtime';

export interface SimulatedRuntimeOptions {
  node: string;
  /** How long a container takes to run after it is started. Defaults to 0. */
  startDelayMs?: number;
  /** The pod subnet's /16 prefix, e.g. "10.200"; each node should have its own. */
  subnetPrefix?: string;
  /** Images that fail to pull (to simulate ErrImagePull). */
  unpullable?: (image: string) => boolean;
  clock?: () => number;
}

interface SimulatedContainer {
  info: ContainerInfo;
  logs: LogRecord[];
  /** When it turns Running, and when (and how) it exits by itself. */
  runAt: number;
  exitAfterMs?: number;
  exitCode?: number;
}

let nodeCount = 0;

export class SimulatedRuntime implements ContainerRuntime {
  readonly kind = 'simulated' as const;
  readonly idScheme = 'simulated://';
  private readonly sandboxes = new Map<string, SandboxInfo>();
  private readonly containers = new Map<string, SimulatedContainer>();
  private readonly prefix: string;
  private nextAddress = 2;
  private readonly clock: () => number;
  /** Who hears about containers that turn running or exit on their own (watchChanges). */
  private readonly listeners = new Set<(podUid: string) => void>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: SimulatedRuntimeOptions) {
    this.clock = options.clock ?? Date.now;
    this.prefix = options.subnetPrefix ?? `10.${200 + (nodeCount++ % 50)}`;
  }

  async prepare(): Promise<void> {}

  async version(): Promise<RuntimeVersion> {
    return { runtime: 'simulated', version: '1' };
  }

  podSubnets(): string[] {
    return [`${this.prefix}.0.0/16`];
  }

  async ensureImage(image: string, _policy: PullPolicy): Promise<ImageInfo> {
    if (this.options.unpullable?.(image)) {
      throw new ImagePullFailed(`Failed to pull image "${image}": Error response from daemon: simulated pull failure`);
    }
    return { id: `sha256:simulated-${image}`, pulled: false };
  }

  async runSandbox(spec: SandboxSpec): Promise<SandboxInfo> {
    const n = this.nextAddress++;
    const sandbox: SandboxInfo = {
      id: randomBytes(16).toString('hex'),
      pod: spec.pod,
      attempt: spec.attempt,
      state: 'ready',
      ip: spec.hostNetwork ? undefined : `${this.prefix}.${Math.floor(n / 250) % 250}.${(n % 250) + 2}`,
      hostNetwork: spec.hostNetwork,
      createdAt: this.clock(),
    };
    this.sandboxes.set(sandbox.id, sandbox);
    return { ...sandbox };
  }

  async listSandboxes(filter?: ListFilter): Promise<SandboxInfo[]> {
    return [...this.sandboxes.values()].filter((s) => !filter?.podUid || s.pod.uid === filter.podUid).map((s) => ({ ...s }));
  }

  async stopSandbox(id: string): Promise<void> {
    const sandbox = this.sandboxes.get(id);
    if (sandbox) {
      sandbox.state = 'notready';
      sandbox.ip = undefined;
    }
  }

  async removeSandbox(id: string): Promise<void> {
    this.sandboxes.delete(id);
  }

  private exit(container: SimulatedContainer, exitCode: number, at: number): void {
    if (container.info.state === 'exited') return;
    container.info.state = 'exited';
    container.info.exitCode = exitCode;
    container.info.finishedAt = at;
    container.logs.push({ time: nanoTime(at), stream: 'stdout', log: `simulated container exited with code ${exitCode}\n` });
  }

  /** Moves a container along its plan up to now: states are worked out when read, no timers. */
  private refresh(container: SimulatedContainer): SimulatedContainer {
    const now = this.clock();
    const info = container.info;
    if (info.state === 'created' && now >= container.runAt) {
      info.state = 'running';
      info.startedAt = container.runAt;
      container.logs.push({ time: nanoTime(container.runAt), stream: 'stdout', log: `simulated container ${info.name} running\n` });
    }
    if (info.state === 'running' && container.exitAfterMs !== undefined && now >= info.startedAt! + container.exitAfterMs) {
      this.exit(container, container.exitCode ?? 0, info.startedAt! + container.exitAfterMs);
    }
    return container;
  }

  async runContainer(_sandbox: SandboxInfo, spec: ContainerSpec): Promise<string> {
    const env = new Map(spec.env.map((v) => [v.name, v.value]));
    const id = randomBytes(16).toString('hex');
    const now = this.clock();
    const exitCode = env.get('SIMULATED_EXIT_CODE');
    const container: SimulatedContainer = {
      info: {
        id,
        pod: spec.pod,
        name: spec.name,
        kind: spec.kind,
        attempt: spec.attempt,
        specHash: spec.specHash,
        image: spec.image,
        imageID: `sha256:simulated-${spec.image}`,
        state: 'created',
        createdAt: now,
      },
      logs: [],
      runAt: now + (this.options.startDelayMs ?? 0),
    };
    if (exitCode !== undefined) {
      container.exitCode = Number(exitCode) || 0;
      container.exitAfterMs = Number(env.get('SIMULATED_RUN_SECONDS') ?? '0') * 1000;
    }
    this.containers.set(id, container);
    this.refresh(container);
    if (container.runAt > now) this.notifyAt(spec.pod.uid, container.runAt);
    if (container.exitAfterMs !== undefined) this.notifyAt(spec.pod.uid, container.runAt + container.exitAfterMs);
    return id;
  }

  /** Tells the listeners about the pod when a planned change falls due. */
  private notifyAt(podUid: string, at: number): void {
    if (this.listeners.size === 0) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      for (const listener of this.listeners) listener(podUid);
    }, Math.max(0, at - this.clock()));
    timer.unref();
    this.timers.add(timer);
  }

  watchChanges(onChange: (podUid: string) => void, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    this.listeners.add(onChange);
    return new Promise((resolve) => {
      signal.addEventListener(
        'abort',
        () => {
          this.listeners.delete(onChange);
          resolve();
        },
        { once: true },
      );
    });
  }

  private get(id: string): SimulatedContainer {
    const container = this.containers.get(id);
    if (!container) throw new ContainerNotFound(`simulated container ${id} not found`);
    return this.refresh(container);
  }

  async inspectContainer(id: string): Promise<ContainerInfo> {
    return { ...this.get(id).info };
  }

  async listContainers(filter?: ListFilter): Promise<ContainerInfo[]> {
    return [...this.containers.values()]
      .filter((c) => !filter?.podUid || c.info.pod.uid === filter.podUid)
      .map((c) => ({ ...this.refresh(c).info }));
  }

  async stopContainer(id: string): Promise<void> {
    const container = this.containers.get(id);
    if (container && this.refresh(container).info.state !== 'exited') {
      this.exit(container, container.info.state === 'running' ? 143 : 0, this.clock());
    }
  }

  async removeContainer(id: string): Promise<void> {
    this.containers.delete(id);
  }

  async logs(id: string, options: LogOptions): Promise<Readable> {
    let records = this.get(id).logs;
    if (options.sinceTime !== undefined) records = records.filter((r) => Date.parse(r.time) >= options.sinceTime!);
    if (options.tailLines !== undefined) records = options.tailLines <= 0 ? [] : records.slice(-options.tailLines);
    return Readable.from(records.map((r) => formatRecord(r, options.timestamps === true)));
  }

  async exec(id: string): Promise<ExecResult> {
    this.get(id);
    return { exitCode: 0, output: '', timedOut: false };
  }

  /** Nothing runs on a simulated node: the command succeeds at once, saying so. */
  async startExec(id: string, command: string[]): Promise<ExecSession> {
    this.get(id);
    return {
      stdout: Readable.from([`simulated node: ${command.join(' ')} not run\n`]),
      resize: async () => undefined,
      exitCode: async () => 0,
      abort: () => undefined,
    };
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.listeners.clear();
  }
}
