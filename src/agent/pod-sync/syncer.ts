/**
 * Carries out the pod sync on a runtime: looks at what the runtime holds for a pod, asks
 * computePodActions what to do, does it (volumes, sandbox, image pulls with their backoff,
 * container starts with their crash backoff, kills with the grace period), runs the probes,
 * and returns the pod's status and the events to record.
 *
 * The caller (the agent) owns the API side: it supplies the pod and the ConfigMaps and Secrets
 * it refers to, writes the status when statusChanged says so, records the events, and calls
 * sync again on requeueAfterMs, on probe changes (onProbeChange) and on a periodic resync.
 * Calls for one pod must not overlap (the agent's work queue guarantees it); different pods
 * may sync at once.
 */
import { Container, Pod, PodStatus } from '../../api/types';
import { logger } from '../../log';
import { Prober } from '../probes/prober';
import { passingRunner, probeRunner, ProbeRunner } from '../probes/runners';
import { RuntimeUnavailable, waitingReasonOf } from '../runtime/errors';
import { ContainerRuntime, PortMapping, SandboxInfo } from '../runtime/runtime';
import { PodVolumes, preparePodVolumes, removePodVolumes } from '../volumes/pod-volumes';
import { computePodActions, PodActions, StartAction } from './actions';
import { Backoff, crashKey, goDuration, pullKey } from './backoff';
import { containerSpec, pullPolicyOf } from './container-spec';
import { PodInputs } from './env';
import { ObservedPod, Waiting, currentSandbox, latestInstance, podRef } from './observed';
import { podStatus } from './status';

export interface PodEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** The container it is about, as an event's involvedObject.fieldPath says it. */
  fieldPath?: string;
}

export interface SyncResult {
  status: PodStatus;
  events: PodEvent[];
  /** Look again after this long at the latest (a backoff ends). */
  requeueAfterMs?: number;
}

export interface SyncerOptions {
  runtime: ContainerRuntime;
  /** Where pod volumes live on this host. */
  dataDir: string;
  /** The node's address: hostIP of every pod, podIP of hostNetwork pods. */
  hostIP: string;
  allowPrivileged?: boolean;
  /** Runs probes; by default for real through the runtime (always passing on simulated nodes). */
  probeRunner?: ProbeRunner;
  /** A probe verdict changed: the pod wants a sync. */
  onProbeChange?: (podUid: string) => void;
  /** Grace given to containers whose pod is gone from the API. */
  orphanGraceSeconds?: number;
  /** Labels added to everything created (tests mark theirs). */
  labels?: Record<string, string>;
  clock?: () => number;
}

const fieldPath = (kind: 'init' | 'app', name: string) => `spec.${kind === 'init' ? 'initContainers' : 'containers'}{${name}}`;

export class PodSyncer {
  readonly prober: Prober;
  private readonly runtime: ContainerRuntime;
  private readonly crash = new Backoff();
  private readonly pull = new Backoff();
  /** Why containers are not running, per pod uid then container name (kubelet's reason cache). */
  private readonly waiting = new Map<string, Record<string, Waiting>>();
  private readonly clock: () => number;
  private readonly log = logger('pod-sync');

  constructor(private readonly options: SyncerOptions) {
    this.runtime = options.runtime;
    this.clock = options.clock ?? Date.now;
    const runner = options.probeRunner ?? (this.runtime.kind === 'simulated' ? passingRunner : probeRunner(this.runtime));
    this.prober = new Prober(runner, (uid) => options.onProbeChange?.(uid), this.clock);
  }

  /** What the runtime holds for one pod, with the agent's own knowledge added. */
  async observe(uid: string): Promise<ObservedPod> {
    const [sandboxes, containers] = await Promise.all([
      this.runtime.listSandboxes({ podUid: uid }),
      this.runtime.listContainers({ podUid: uid }),
    ]);
    return {
      sandboxes,
      containers,
      hostIP: this.options.hostIP,
      waiting: { ...(this.waiting.get(uid) ?? {}) },
      unhealthy: this.prober.unhealthy(uid),
    };
  }

  /** Status only, without acting (e.g. while the runtime is being waited for). */
  async status(pod: Pod): Promise<PodStatus> {
    const observed = await this.observe(pod.metadata.uid ?? '');
    return podStatus(pod, observed, this.prober, this.clock(), this.runtime.idScheme);
  }

  async sync(pod: Pod, inputs: PodInputs): Promise<SyncResult> {
    const uid = pod.metadata.uid ?? '';
    const events: PodEvent[] = [];
    const before = await this.observe(uid);
    const now = this.clock();
    // A pod whose containers all ended for good is done even before its status says so.
    const settled = podStatus(pod, before, this.prober, now, this.runtime.idScheme).phase;
    const effective = settled === 'Succeeded' || settled === 'Failed' ? { ...pod, status: { ...pod.status, phase: settled } } : pod;
    const actions = computePodActions(effective, before, now, { crash: this.crash, pull: this.pull });
    const waiting = { ...(this.waiting.get(uid) ?? {}) };
    let requeueAfterMs = actions.requeueAfterMs;

    await this.collectGarbage(actions);
    const grace = this.graceSeconds(pod);
    if (actions.killPod) await this.killPod(before, grace, events);
    for (const kill of actions.kill) {
      events.push({ type: 'Normal', reason: 'Killing', message: kill.message, fieldPath: fieldPath('app', kill.name) });
      await this.runtime.stopContainer(kill.id, grace);
    }
    for (const [name, wait] of Object.entries(actions.waiting)) {
      waiting[name] = { reason: wait.reason, message: wait.message };
      const backOff = wait.reason === 'CrashLoopBackOff'
        ? `Back-off restarting failed container ${name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${uid})`
        : wait.message!;
      events.push({ type: wait.reason === 'CrashLoopBackOff' ? 'Warning' : 'Normal', reason: 'BackOff', message: backOff, fieldPath: fieldPath('app', name) });
    }

    const needsSetup = Boolean(actions.createSandbox) || actions.start.length > 0;
    let volumes: PodVolumes = {};
    let sandbox = currentSandbox(before);
    if (needsSetup) {
      try {
        volumes = await preparePodVolumes(this.options.dataDir, pod, inputs);
        if (actions.createSandbox) {
          if (before.sandboxes.length > 0) {
            events.push({ type: 'Normal', reason: 'SandboxChanged', message: 'Pod sandbox changed, it will be killed and re-created.' });
          }
          sandbox = await this.runSandbox(pod, actions.createSandbox.attempt);
        }
      } catch (error) {
        if (error instanceof RuntimeUnavailable) throw error;
        const message = (error as Error).message;
        const failedMount = message.startsWith('MountVolume');
        events.push({ type: 'Warning', reason: failedMount ? 'FailedMount' : 'FailedCreatePodSandBox', message });
        for (const start of actions.start) waiting[start.name] = { reason: 'ContainerCreating', message };
        actions.start = [];
        requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, 10_000);
      }
    }

    for (const start of actions.start) {
      const started = await this.start(pod, start, sandbox!, volumes, inputs, waiting, events);
      if (!started.ok && started.retryInMs) requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, started.retryInMs);
    }

    this.waiting.set(uid, waiting);
    const after = await this.observe(uid);
    // A container that runs again has nothing left to wait for.
    for (const name of Object.keys(waiting)) if (latestInstance(after, name)?.state === 'running') delete waiting[name];
    after.waiting = { ...waiting };
    this.prober.update(pod, after);
    const status = podStatus(pod, after, this.prober, this.clock(), this.runtime.idScheme);
    return { status, events, requeueAfterMs: requeueAfterMs === Infinity ? undefined : requeueAfterMs };
  }

  private graceSeconds(pod: Pod): number {
    return pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
  }

  private async collectGarbage(actions: PodActions): Promise<void> {
    for (const id of actions.removeContainers) await this.runtime.removeContainer(id);
    for (const id of actions.removeSandboxes) await this.runtime.removeSandbox(id);
  }

  private async killPod(observed: ObservedPod, graceSeconds: number, events: PodEvent[]): Promise<void> {
    const running = observed.containers.filter((c) => c.state === 'running' || c.state === 'created');
    for (const c of running) {
      events.push({ type: 'Normal', reason: 'Killing', message: `Stopping container ${c.name}`, fieldPath: fieldPath(c.kind, c.name) });
    }
    // Containers stop together, each with the whole grace period; the sandbox goes after them.
    await Promise.all(running.map((c) => this.runtime.stopContainer(c.id, graceSeconds)));
    for (const sandbox of observed.sandboxes) if (sandbox.state === 'ready') await this.runtime.stopSandbox(sandbox.id);
  }

  private async runSandbox(pod: Pod, attempt: number): Promise<SandboxInfo> {
    const spec = pod.spec ?? { containers: [] };
    const ports: PortMapping[] = [];
    for (const container of [...(spec.initContainers ?? []), ...spec.containers]) {
      for (const port of container.ports ?? []) {
        if (!port.hostPort) continue;
        ports.push({ containerPort: port.containerPort, hostPort: port.hostPort, protocol: port.protocol ?? 'TCP', hostIP: port.hostIP });
      }
    }
    return this.runtime.runSandbox({
      pod: podRef(pod),
      attempt,
      hostNetwork: spec.hostNetwork === true,
      hostname: spec.hostname ?? pod.metadata.name ?? '',
      ports,
      hostAliases: (spec.hostAliases ?? []).map((a) => ({ ip: a.ip, hostnames: a.hostnames ?? [] })),
      labels: this.options.labels,
    });
  }

  private async start(
    pod: Pod,
    start: StartAction,
    sandbox: SandboxInfo,
    volumes: PodVolumes,
    inputs: PodInputs,
    waiting: Record<string, Waiting>,
    events: PodEvent[],
  ): Promise<{ ok: boolean; retryInMs?: number }> {
    const uid = pod.metadata.uid ?? '';
    const spec = pod.spec ?? { containers: [] };
    const list: Container[] = start.kind === 'init' ? spec.initContainers ?? [] : spec.containers;
    const container = list.find((c) => c.name === start.name)!;
    const where = fieldPath(start.kind, container.name);
    const image = container.image ?? '';
    const fail = (error: unknown): { ok: false } => {
      if (error instanceof RuntimeUnavailable) throw error;
      const reason = waitingReasonOf(error) ?? 'RunContainerError';
      const message = (error as Error).message;
      waiting[container.name] = { reason, message };
      events.push({ type: 'Warning', reason: 'Failed', message: `Error: ${reason}`, fieldPath: where });
      return { ok: false };
    };

    const policy = pullPolicyOf(container);
    const pulling = this.clock();
    // As kubelet: "Pulling" only when a pull was tried; an image already there is just "Pulled".
    const pullingEvent: PodEvent = { type: 'Normal', reason: 'Pulling', message: `Pulling image "${image}"`, fieldPath: where };
    try {
      const pulled = await this.runtime.ensureImage(image, policy);
      if (pulled.pulled) events.push(pullingEvent);
      events.push({
        type: 'Normal',
        reason: 'Pulled',
        message: pulled.pulled
          ? `Successfully pulled image "${image}" in ${((this.clock() - pulling) / 1000).toFixed(3)}s`
          : `Container image "${image}" already present on machine`,
        fieldPath: where,
      });
    } catch (error) {
      if (waitingReasonOf(error) === 'ErrImagePull') {
        events.push(pullingEvent);
        const now = this.clock();
        const delay = this.pull.next(pullKey(uid, image), now, now);
        events.push({ type: 'Warning', reason: 'Failed', message: (error as Error).message, fieldPath: where });
        fail(error);
        return { ok: false, retryInMs: delay };
      }
      return fail(error);
    }
    this.pull.forget(pullKey(uid, image));

    try {
      const hostIP = this.options.hostIP;
      const resolved = containerSpec(pod, podRef(pod), container, {
        kind: start.kind,
        attempt: start.attempt,
        fields: { podIP: sandbox.hostNetwork ? hostIP : sandbox.ip, hostIP },
        inputs,
        volumes,
        allowPrivileged: this.options.allowPrivileged === true,
        labels: this.options.labels,
      });
      if (start.backoffFrom !== undefined) {
        const delay = this.crash.next(crashKey(uid, container.name), start.backoffFrom, this.clock());
        this.log.debug('restarting container', { pod: uid, container: container.name, attempt: start.attempt, nextBackoff: goDuration(delay) });
      }
      await this.runtime.runContainer(sandbox, resolved);
    } catch (error) {
      return fail(error);
    }
    delete waiting[container.name];
    events.push({ type: 'Normal', reason: 'Created', message: `Created container ${container.name}`, fieldPath: where });
    events.push({ type: 'Normal', reason: 'Started', message: `Started container ${container.name}`, fieldPath: where });
    return { ok: true };
  }

  /**
   * Removes everything of a pod: stops what still runs (with `graceSeconds`), removes its
   * containers, sandboxes and volumes, forgets its backoffs and probes. For pods gone from the API.
   */
  async removePod(uid: string, graceSeconds = this.options.orphanGraceSeconds ?? 10): Promise<void> {
    const observed = await this.observe(uid);
    await this.killPod(observed, graceSeconds, []);
    for (const container of observed.containers) await this.runtime.removeContainer(container.id);
    for (const sandbox of observed.sandboxes) await this.runtime.removeSandbox(sandbox.id);
    await removePodVolumes(this.options.dataDir, uid);
    this.prober.removePod(uid);
    this.crash.forgetPod(uid);
    this.pull.forgetPod(uid);
    this.waiting.delete(uid);
  }

  /** Removes the containers of every pod not in `live` (found by labels); returns their uids. */
  async removeOrphans(live: Set<string>): Promise<string[]> {
    const [sandboxes, containers] = await Promise.all([this.runtime.listSandboxes(), this.runtime.listContainers()]);
    const orphans = new Set([...sandboxes, ...containers].map((c) => c.pod.uid).filter((uid) => !live.has(uid)));
    await Promise.all([...orphans].map((uid) => this.removePod(uid)));
    if (orphans.size > 0) this.log.info('removed containers of pods that are gone', { pods: [...orphans] });
    this.crash.collect(this.clock());
    this.pull.collect(this.clock());
    return [...orphans];
  }

  dispose(): void {
    this.prober.dispose();
  }
}
