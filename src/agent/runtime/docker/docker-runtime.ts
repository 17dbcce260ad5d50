/**
 * The Docker runtime (dockerode): pods get a sandbox container on the project network holding
 * their network namespace, their containers join it; everything carries berth's labels, so a
 * restarted agent lists and adopts what it finds. Docker errors are mapped once, in
 * docker-errors.ts; this file only says what is being done.
 */
import { Readable } from 'node:stream';
import Docker from './dockerode';
import { logger } from '../../../log';
import { ContainerNotFound, CreateContainerFailed, StartContainerFailed } from '../errors';
import { labelKeys, parseLabels } from '../labels';
import {
  ContainerInfo,
  ContainerRuntime,
  ContainerSpec,
  ExecOptions,
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
import { containerOptions, DockerScope, sandboxOptions } from './create-options';
import { isDockerStatus, mapDockerError } from './docker-errors';
import { ensureImage } from './images';
import { ensureNetwork, PodNetwork } from './network';
import { ensureBusyboxImage } from './rootfs-image';
import { watchContainerEvents } from './events';
import { containerLogs, execInContainer, startExecInContainer } from './streams';

export const DEFAULT_NETWORK = 'berth';
export const SANDBOX_IMAGE = 'berth/sandbox:1';

export interface DockerRuntimeOptions {
  /** The node's name: the runtime sees only what this node created. */
  node: string;
  /** Docker network pods join; created if absent. Defaults to "berth". */
  network?: string;
  /** Its subnet when created (checked when it exists); Docker picks one when not given. */
  subnet?: string;
  sandboxImage?: string;
  /** A dockerode client; by default one for DOCKER_HOST or /var/run/docker.sock. */
  docker?: Docker;
  /** Labels added to every container and network created (tests mark theirs). */
  labels?: Record<string, string>;
  pullTimeoutMs?: number;
}

const never = (value: string | undefined): number | undefined => {
  if (!value || value.startsWith('0001-01-01')) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
};

export class DockerRuntime implements ContainerRuntime {
  readonly kind = 'docker' as const;
  readonly idScheme = 'docker://';
  readonly docker: Docker;
  private readonly scope: DockerScope;
  private readonly subnet?: string;
  private readonly pullTimeoutMs: number;
  private network?: PodNetwork;
  /** Inspections of exited containers: they no longer change (but for a late OOM, below). */
  private readonly finished = new Map<string, ContainerInfo>();
  /**
   * Containers the engine reported an `oom` event for. Docker 20.10 loses State.OOMKilled when
   * its OOM event comes after the exit (a race a loaded engine loses), but still sends the event;
   * containerd's CRI calls a container OOMKilled on that event too.
   */
  private readonly oomEvents = new Set<string>();
  /**
   * Where the next event stream starts (engine clock, Unix seconds): when the runtime was
   * prepared, then the last event heard. A stream that starts late or breaks misses nothing,
   * such as the OOM of a container that ran and died before the stream was up.
   */
  private eventsSince?: number;
  private readonly log;

  constructor(options: DockerRuntimeOptions) {
    this.docker = options.docker ?? new Docker();
    this.scope = {
      node: options.node,
      network: options.network ?? DEFAULT_NETWORK,
      sandboxImage: options.sandboxImage ?? SANDBOX_IMAGE,
      labels: options.labels ?? {},
    };
    this.subnet = options.subnet;
    this.pullTimeoutMs = options.pullTimeoutMs ?? 5 * 60_000;
    this.log = logger('docker-runtime', { node: options.node });
  }

  async prepare(): Promise<void> {
    this.eventsSince ??= await this.engineTime();
    this.network = await ensureNetwork(this.docker, this.scope.network, this.subnet, { ...this.scope.labels, [labelKeys.managed]: 'true' });
    await ensureBusyboxImage(this.docker, this.scope.sandboxImage, { applets: false });
    this.log.debug('docker runtime ready', { network: this.network.name, subnets: this.network.subnets });
  }

  async version(): Promise<RuntimeVersion> {
    try {
      const version = await this.docker.version();
      return { runtime: 'docker', version: version.Version, apiVersion: version.ApiVersion };
    } catch (error) {
      throw mapDockerError(error, 'ask the engine its version');
    }
  }

  /** The engine's clock in Unix seconds (it stamps its events with it), or undefined if it does not say. */
  private async engineTime(): Promise<number | undefined> {
    try {
      const ms = Date.parse(((await this.docker.info()) as { SystemTime?: string }).SystemTime ?? '');
      return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
    } catch (error) {
      throw mapDockerError(error, 'ask the engine its time');
    }
  }

  podSubnets(): string[] {
    return this.network?.subnets ?? [];
  }

  ensureImage(image: string, policy: PullPolicy): Promise<ImageInfo> {
    return ensureImage(this.docker, image, policy, this.pullTimeoutMs);
  }

  private filters(role: 'sandbox' | 'containers', filter?: ListFilter): { label: string[] } {
    const label = [`${labelKeys.managed}=true`, `${labelKeys.node}=${this.scope.node}`];
    if (role === 'sandbox') label.push(`${labelKeys.role}=sandbox`);
    if (filter?.podUid) label.push(`${labelKeys.podUid}=${filter.podUid}`);
    for (const [key, value] of Object.entries(this.scope.labels)) label.push(`${key}=${value}`);
    return { label };
  }

  async runSandbox(spec: SandboxSpec): Promise<SandboxInfo> {
    const options = sandboxOptions(spec, this.scope);
    let id: string | undefined;
    try {
      const container = await this.docker.createContainer(options);
      id = container.id;
      await container.start();
      const info = await container.inspect();
      return this.sandboxFromInspect(info);
    } catch (error) {
      // A sandbox that did not come up is of no use; leave nothing behind.
      if (id) await this.docker.getContainer(id).remove({ force: true }).catch(() => undefined);
      throw mapDockerError(error, `run the sandbox of pod ${spec.pod.namespace}/${spec.pod.name}`);
    }
  }

  private sandboxFromInspect(info: Docker.ContainerInspectInfo): SandboxInfo {
    const parsed = parseLabels(info.Config.Labels);
    if (!parsed) throw new ContainerNotFound(`container ${info.Id} is not a berth sandbox`);
    const hostNetwork = info.HostConfig.NetworkMode === 'host';
    const ip = hostNetwork ? undefined : info.NetworkSettings.Networks?.[this.scope.network]?.IPAddress || undefined;
    return {
      id: info.Id,
      pod: parsed.pod,
      attempt: parsed.attempt,
      state: info.State.Running ? 'ready' : 'notready',
      ip: info.State.Running ? ip : undefined,
      hostNetwork,
      createdAt: Date.parse(info.Created),
    };
  }

  async listSandboxes(filter?: ListFilter): Promise<SandboxInfo[]> {
    let listed: Docker.ContainerInfo[];
    try {
      listed = await this.docker.listContainers({ all: true, filters: this.filters('sandbox', filter) });
    } catch (error) {
      throw mapDockerError(error, 'list sandboxes');
    }
    const sandboxes: SandboxInfo[] = [];
    for (const entry of listed) {
      const parsed = parseLabels(entry.Labels);
      if (!parsed) continue;
      const hostNetwork = entry.HostConfig?.NetworkMode === 'host';
      const running = entry.State === 'running';
      const ip = running && !hostNetwork ? entry.NetworkSettings?.Networks?.[this.scope.network]?.IPAddress || undefined : undefined;
      sandboxes.push({
        id: entry.Id,
        pod: parsed.pod,
        attempt: parsed.attempt,
        state: running ? 'ready' : 'notready',
        ip,
        hostNetwork,
        createdAt: entry.Created * 1000,
      });
    }
    return sandboxes;
  }

  async stopSandbox(id: string): Promise<void> {
    await this.stopContainer(id, 10);
  }

  async removeSandbox(id: string): Promise<void> {
    await this.removeContainer(id);
  }

  async runContainer(sandbox: SandboxInfo, spec: ContainerSpec): Promise<string> {
    const doing = `container ${spec.name} of pod ${spec.pod.namespace}/${spec.pod.name}`;
    let container: Docker.Container;
    try {
      container = await this.docker.createContainer(containerOptions(sandbox, spec, this.scope));
    } catch (error) {
      const mapped = mapDockerError(error, `create ${doing}`);
      // Docker refused the configuration (or lost the image): the container's fault, not the engine's.
      if (mapped.code === 404 || mapped.code === 500 || mapped.code === 400) throw new CreateContainerFailed(mapped.message);
      throw mapped;
    }
    try {
      await container.start();
    } catch (error) {
      const mapped = mapDockerError(error, `start ${doing}`);
      if (mapped.code === 500 || mapped.code === 400) throw new StartContainerFailed(mapped.message);
      throw mapped;
    }
    return container.id;
  }

  private containerFromInspect(info: Docker.ContainerInspectInfo): ContainerInfo | undefined {
    const parsed = parseLabels(info.Config.Labels);
    if (!parsed || parsed.role === 'sandbox') return undefined;
    const state = info.State;
    let runState: ContainerInfo['state'];
    if (state.Running || state.Paused || state.Restarting) runState = 'running';
    else if (state.Status === 'created') runState = state.Error ? 'exited' : 'created';
    else if (state.Status === 'exited' || state.Status === 'dead' || state.Status === 'removing') runState = 'exited';
    else runState = 'unknown';
    const created = Date.parse(info.Created);
    const result: ContainerInfo = {
      id: info.Id,
      pod: parsed.pod,
      name: parsed.containerName,
      kind: parsed.role,
      attempt: parsed.attempt,
      specHash: parsed.specHash,
      image: parsed.image || info.Config.Image,
      imageID: info.Image,
      state: runState,
      createdAt: created,
    };
    const startedAt = never(state.StartedAt);
    const finishedAt = never(state.FinishedAt);
    if (startedAt) result.startedAt = startedAt;
    if (runState === 'exited') {
      result.exitCode = state.ExitCode;
      result.oomKilled = state.OOMKilled || this.oomEvents.has(info.Id);
      // A container that never started has no finish time; its failure is when it was made.
      result.finishedAt = finishedAt ?? startedAt ?? created;
      if (state.Error) result.message = state.Error;
    }
    return result;
  }

  async inspectContainer(id: string): Promise<ContainerInfo> {
    const cached = this.finished.get(id);
    if (cached) return cached;
    let info: Docker.ContainerInspectInfo;
    try {
      info = await this.docker.getContainer(id).inspect();
    } catch (error) {
      throw mapDockerError(error, `inspect container ${id}`);
    }
    const container = this.containerFromInspect(info);
    if (!container) throw new ContainerNotFound(`container ${id} is not a berth container of a pod`);
    if (container.state === 'exited') this.finished.set(id, container);
    return container;
  }

  async listContainers(filter?: ListFilter): Promise<ContainerInfo[]> {
    let listed: Docker.ContainerInfo[];
    try {
      listed = await this.docker.listContainers({ all: true, filters: this.filters('containers', filter) });
    } catch (error) {
      throw mapDockerError(error, 'list containers');
    }
    const containers: ContainerInfo[] = [];
    const seen = new Set<string>();
    for (const entry of listed) {
      const parsed = parseLabels(entry.Labels);
      if (!parsed || parsed.role === 'sandbox') continue;
      seen.add(entry.Id);
      try {
        containers.push(await this.inspectContainer(entry.Id));
      } catch (error) {
        // Removed between the list and the inspection: it is simply gone.
        if (!(error instanceof ContainerNotFound)) throw error;
      }
    }
    if (!filter?.podUid) {
      for (const id of this.finished.keys()) if (!seen.has(id)) this.finished.delete(id);
      for (const id of this.oomEvents) if (!seen.has(id)) this.oomEvents.delete(id);
    }
    return containers;
  }

  async stopContainer(id: string, graceSeconds: number, signal = 'SIGTERM'): Promise<void> {
    const container = this.docker.getContainer(id);
    try {
      await container.kill({ signal });
    } catch (error) {
      // Already stopped (409) or already gone (404): nothing to stop.
      if (isDockerStatus(error, 409) || isDockerStatus(error, 404)) return;
      throw mapDockerError(error, `signal container ${id}`);
    }
    if (await this.waitForExit(container, graceSeconds * 1000)) return;
    try {
      await container.kill({ signal: 'SIGKILL' });
    } catch (error) {
      if (isDockerStatus(error, 409) || isDockerStatus(error, 404)) return;
      throw mapDockerError(error, `kill container ${id}`);
    }
    await this.waitForExit(container, 10_000);
  }

  /** Whether the container stopped within the time. */
  private async waitForExit(container: Docker.Container, timeoutMs: number): Promise<boolean> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), Math.max(0, timeoutMs));
    try {
      await container.wait({ condition: 'not-running', abortSignal: abort.signal });
      return true;
    } catch (error) {
      if (abort.signal.aborted) return false;
      if (isDockerStatus(error, 404)) return true;
      throw mapDockerError(error, `wait for container ${container.id}`);
    } finally {
      clearTimeout(timer);
    }
  }

  async removeContainer(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).remove({ force: true, v: true });
    } catch (error) {
      // Gone already, or being removed by someone else: the outcome is the same.
      if (!isDockerStatus(error, 404) && !isDockerStatus(error, 409)) throw mapDockerError(error, `remove container ${id}`);
    }
    this.finished.delete(id);
    this.oomEvents.delete(id);
  }

  logs(id: string, options: LogOptions): Promise<Readable> {
    return containerLogs(this.docker, id, options);
  }

  exec(id: string, command: string[], timeoutMs: number): Promise<ExecResult> {
    return execInContainer(this.docker, id, command, timeoutMs);
  }

  startExec(id: string, command: string[], options: ExecOptions): Promise<ExecSession> {
    return startExecInContainer(this.docker, id, command, options);
  }

  watchChanges(onChange: (podUid: string) => void, signal: AbortSignal): Promise<void> {
    return watchContainerEvents(
      this.docker,
      this.filters('containers').label,
      (podUid, { containerId, action, time }) => {
        if (time !== undefined) this.eventsSince = time;
        if (action === 'oom' && containerId) {
          // Inspected again on the next look, now as OOMKilled once it has exited.
          this.oomEvents.add(containerId);
          this.finished.delete(containerId);
        }
        onChange(podUid);
      },
      signal,
      this.eventsSince,
    );
  }

  async close(): Promise<void> {
    this.finished.clear();
    this.oomEvents.clear();
  }
}
