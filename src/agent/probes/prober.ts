/**
 * Runs the probes of running containers: one worker per container instance and probe kind, each
 * ticking at its period, driven by the state machine in probe-state.ts. When a verdict changes,
 * `onChange(podUid)` asks for the pod to be synced again (a failed liveness probe restarts the
 * container; readiness moves the Ready condition). Owned by the pod syncer; dispose() stops all.
 */
import { Container, Pod, Probe } from '../../api/types';
import { logger } from '../../log';
import { ObservedPod, currentSandbox, latestInstance } from '../pod-sync/observed';
import { ProbeKind, ProbeResults } from '../pod-sync/status';
import { initialState, probeDue, ProbeState, probeTiming, ProbeTiming, recordOutcome } from './probe-state';
import { ProbeRunner, ProbeTarget } from './runners';

const kinds: ProbeKind[] = ['startup', 'liveness', 'readiness'];

interface Worker {
  podUid: string;
  containerName: string;
  containerId: string;
  kind: ProbeKind;
  probe: Probe;
  timing: ProbeTiming;
  startedAt: number;
  target: ProbeTarget;
  state: ProbeState;
  lastOutput: string;
  timer?: NodeJS.Timeout;
  busy: boolean;
  stopped: boolean;
}

function probeOf(container: Container, kind: ProbeKind): Probe | undefined {
  if (kind === 'startup') return container.startupProbe;
  if (kind === 'liveness') return container.livenessProbe;
  return container.readinessProbe;
}

export class Prober implements ProbeResults {
  private readonly workers = new Map<string, Worker>();
  private readonly log = logger('prober');

  constructor(
    private readonly runner: ProbeRunner,
    private readonly onChange: (podUid: string) => void,
    private readonly clock: () => number = Date.now,
  ) {}

  result(containerId: string, kind: ProbeKind): boolean | undefined {
    return this.workers.get(`${containerId}/${kind}`)?.state.verdict;
  }

  /** Containers of the pod whose liveness or startup probe failed, with why (for computePodActions). */
  unhealthy(podUid: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const worker of this.workers.values()) {
      if (worker.podUid !== podUid || worker.kind === 'readiness' || worker.state.verdict !== false) continue;
      out[worker.containerId] = `Container ${worker.containerName} failed ${worker.kind} probe`;
    }
    return out;
  }

  /** The last output of a probe, for messages and events. */
  lastOutput(containerId: string, kind: ProbeKind): string | undefined {
    return this.workers.get(`${containerId}/${kind}`)?.lastOutput;
  }

  /** Starts workers for newly running containers with probes, stops those of gone containers. */
  update(pod: Pod, observed: ObservedPod): void {
    const uid = pod.metadata.uid ?? '';
    const sandbox = currentSandbox(observed);
    const hostNetwork = pod.spec?.hostNetwork === true;
    const wanted = new Set<string>();
    const containers = [...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'), ...(pod.spec?.containers ?? [])];
    if (!pod.metadata.deletionTimestamp) {
      for (const container of containers) {
        const latest = latestInstance(observed, container.name);
        if (!latest || latest.state !== 'running') continue;
        for (const kind of kinds) {
          const probe = probeOf(container, kind);
          if (!probe) continue;
          const key = `${latest.id}/${kind}`;
          wanted.add(key);
          const target: ProbeTarget = { containerId: latest.id, podIP: sandbox?.ip, hostNetwork, ports: container.ports ?? [] };
          const existing = this.workers.get(key);
          if (existing) {
            existing.target = target;
            continue;
          }
          // A restarted agent keeps an adopted container's readiness instead of flapping it.
          const wasReady = pod.status?.containerStatuses?.find((s) => s.containerID?.endsWith(latest.id))?.ready;
          const worker: Worker = {
            podUid: uid,
            containerName: container.name,
            containerId: latest.id,
            kind,
            probe,
            timing: probeTiming(probe, kind),
            startedAt: latest.startedAt ?? latest.createdAt,
            target,
            state: initialState(kind, kind === 'readiness' && wasReady ? true : undefined),
            lastOutput: '',
            busy: false,
            stopped: false,
          };
          this.workers.set(key, worker);
          this.schedule(worker, 0);
        }
      }
    }
    for (const [key, worker] of this.workers) {
      if (worker.podUid === uid && !wanted.has(key)) this.stop(key, worker);
    }
  }

  removePod(uid: string): void {
    for (const [key, worker] of this.workers) if (worker.podUid === uid) this.stop(key, worker);
  }

  dispose(): void {
    for (const [key, worker] of this.workers) this.stop(key, worker);
  }

  private stop(key: string, worker: Worker): void {
    worker.stopped = true;
    if (worker.timer) clearTimeout(worker.timer);
    this.workers.delete(key);
  }

  private schedule(worker: Worker, delayMs: number): void {
    if (worker.stopped) return;
    worker.timer = setTimeout(() => void this.tick(worker), delayMs);
    worker.timer.unref?.();
  }

  private async tick(worker: Worker): Promise<void> {
    if (worker.stopped || worker.busy) return;
    const started = worker.kind === 'startup' || this.startupPassed(worker);
    const due = probeDue(worker.state, worker.timing, { running: true, startedAt: worker.startedAt, started }, this.clock());
    if (due) {
      worker.busy = true;
      try {
        const result = await this.runner(worker.probe, worker.target, worker.timing.timeoutMs).catch((error: Error) => ({
          outcome: 'failure' as const,
          output: error.message,
        }));
        if (worker.stopped) return;
        worker.lastOutput = result.output;
        const { state, changed } = recordOutcome(worker.state, worker.timing, result.outcome);
        worker.state = state;
        if (changed) {
          this.log.debug('probe verdict changed', {
            pod: worker.podUid,
            container: worker.containerName,
            probe: worker.kind,
            passing: state.verdict,
            output: result.output.slice(0, 200),
          });
          this.onChange(worker.podUid);
        }
      } finally {
        worker.busy = false;
      }
    }
    // Until the initial delay passes, look again when it does rather than a whole period later.
    const untilDelay = worker.startedAt + worker.timing.initialDelayMs - this.clock();
    this.schedule(worker, untilDelay > 0 ? Math.min(untilDelay, worker.timing.periodMs) : worker.timing.periodMs);
  }

  private startupPassed(worker: Worker): boolean {
    const startup = this.workers.get(`${worker.containerId}/startup`);
    return !startup || startup.state.verdict === true;
  }
}
