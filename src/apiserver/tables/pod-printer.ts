/**
 * `kubectl get pods`: READY, STATUS and RESTARTS computed as upstream's `printPod` does
 * (kubernetes `pkg/printers/internalversion/printers.go`):
 *
 *   STATUS   the pod's reason or phase, then the first init container that is not done
 *            (Init:0/2, Init:CrashLoopBackOff, Init:Error, Init:ExitCode:1), then — once
 *            initialized — the last app container with a waiting or terminated reason
 *            (ContainerCreating, CrashLoopBackOff, Completed, OOMKilled, ExitCode:137),
 *            and Terminating (or Unknown on a lost node) once deletion has begun.
 *   READY    ready running containers / containers (sidecar init containers count too).
 *   RESTARTS their restart count, with "(5m ago)" after the last restart.
 */
import type { Obj } from '../../api/object';
import type { Container, ContainerStatus, Pod, PodCondition } from '../../api/types';
import { ageColumn, column, nameColumn, objectAge, since } from './cells';
import type { Printer } from './table';

/** The reason the node lifecycle controller gives pods of a node that stopped answering. */
const nodeUnreachablePodReason = 'NodeLost';

export const podPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'string', 'The aggregate status of the containers in this pod.'),
    column('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    ageColumn,
    column('IP', 'string', 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
    column('Node', 'string', 'NodeName is the name of the node the pod is bound to.', 1),
    column('Nominated Node', 'string', 'nominatedNodeName is set only when this pod preempts other pods on the node.', 1),
    column('Readiness Gates', 'string', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
  ],
  cells(object: Obj, now: number): unknown[] {
    const pod = object as unknown as Pod;
    const summary = summarizePod(pod);
    const restarts = summary.restarts !== 0 && summary.lastRestart !== undefined ? `${summary.restarts} (${since(summary.lastRestart, now)} ago)` : String(summary.restarts);
    return [
      pod.metadata.name,
      `${summary.ready}/${summary.total}`,
      summary.status,
      restarts,
      objectAge(object, now),
      // Upstream's conversion fills podIPs from podIP when only podIP is set.
      pod.status?.podIPs?.[0]?.ip || pod.status?.podIP || '<none>',
      pod.spec?.nodeName || '<none>',
      pod.status?.nominatedNodeName || '<none>',
      readinessGates(pod),
    ];
  },
};

export interface PodSummary {
  /** The STATUS cell. */
  status: string;
  ready: number;
  total: number;
  restarts: number;
  /** When the most recent counted restart happened (the last termination's finish). */
  lastRestart?: string;
}

/** READY, STATUS and RESTARTS of a pod, as upstream computes them. */
export function summarizePod(pod: Pod): PodSummary {
  const spec = pod.spec ?? ({} as NonNullable<Pod['spec']>);
  const status = pod.status ?? {};
  const phase = status.phase ?? '';
  let reason: string = status.reason || phase;
  if (status.conditions?.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  const initContainers = new Map<string, Container>((spec.initContainers ?? []).map((c) => [c.name, c]));
  const total = (spec.containers ?? []).length + (spec.initContainers ?? []).filter(isSidecar).length;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: string | undefined;
  let lastSidecarRestart: string | undefined;

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const container = initStatuses[i];
    const sidecar = isSidecar(initContainers.get(container.name));
    restarts += container.restartCount ?? 0;
    lastRestart = later(lastRestart, lastTermination(container));
    if (sidecar) {
      sidecarRestarts += container.restartCount ?? 0;
      lastSidecarRestart = later(lastSidecarRestart, lastTermination(container));
    }
    const terminated = container.state?.terminated;
    const waiting = container.state?.waiting;
    if (terminated && terminated.exitCode === 0) continue;
    if (sidecar && container.started) {
      if (container.ready) ready++;
      continue;
    }
    if (terminated) {
      // Initialization failed.
      if (terminated.reason) reason = `Init:${terminated.reason}`;
      else if (terminated.signal) reason = `Init:Signal:${terminated.signal}`;
      else reason = `Init:ExitCode:${terminated.exitCode}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(status.conditions, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const container = statuses[i];
      restarts += container.restartCount ?? 0;
      lastRestart = later(lastRestart, lastTermination(container));
      const waiting = container.state?.waiting;
      const terminated = container.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated) reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`;
      else if (container.ready && container.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    // A pod whose containers completed but one still runs is back to Running (or NotReady).
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(status.conditions, 'Ready') ? 'Running' : 'NotReady';
  }

  if (pod.metadata.deletionTimestamp && status.reason === nodeUnreachablePodReason) reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  const summary: PodSummary = { status: reason, ready, total, restarts };
  if (lastRestart !== undefined) summary.lastRestart = lastRestart;
  return summary;
}

/** An init container with restartPolicy Always runs beside the app containers (a sidecar). */
function isSidecar(container: Container | undefined): boolean {
  return container?.restartPolicy === 'Always';
}

function lastTermination(status: ContainerStatus): string | undefined {
  return status.lastState?.terminated?.finishedAt;
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  if (b === undefined) return a;
  if (a === undefined) return b;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

function conditionTrue(conditions: PodCondition[] | undefined, type: string): boolean {
  return conditions?.some((c) => c.type === type && c.status === 'True') ?? false;
}

/** `true gates/gates`, or `<none>` without readiness gates. */
function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const conditions = pod.status?.conditions ?? [];
  const passing = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${passing}/${gates.length}`;
}
