/**
 * The probe state machine of one container and one probe kind, as kubelet's probe worker runs it,
 * as pure functions: when a probe is due (initial delay, startup gating, held after a failure)
 * and how outcomes become a verdict (consecutive successes and failures against thresholds).
 *
 * Verdicts start as upstream's: liveness passing, readiness failing, startup unknown. A failed
 * liveness or startup verdict holds the worker until the container is replaced; a passed
 * startup probe is not run again for that container.
 */
import { Probe } from '../../api/types';
import { ProbeKind } from '../pod-sync/status';

export interface ProbeTiming {
  initialDelayMs: number;
  periodMs: number;
  timeoutMs: number;
  successThreshold: number;
  failureThreshold: number;
}

export function probeTiming(probe: Probe, kind: ProbeKind): ProbeTiming {
  return {
    initialDelayMs: (probe.initialDelaySeconds ?? 0) * 1000,
    periodMs: Math.max(1, probe.periodSeconds ?? 10) * 1000,
    timeoutMs: Math.max(1, probe.timeoutSeconds ?? 1) * 1000,
    // Liveness and startup probes must have a success threshold of 1 upstream.
    successThreshold: kind === 'readiness' ? Math.max(1, probe.successThreshold ?? 1) : 1,
    failureThreshold: Math.max(1, probe.failureThreshold ?? 3),
  };
}

export type ProbeOutcome = 'success' | 'failure';

export interface ProbeState {
  kind: ProbeKind;
  /** The verdict: true passing, false failing, undefined not known yet. */
  verdict: boolean | undefined;
  lastOutcome?: ProbeOutcome;
  /** How many times in a row lastOutcome came. */
  run: number;
  /** A liveness or startup probe failed: no more probing until a new container. */
  onHold: boolean;
}

export function initialState(kind: ProbeKind, verdict?: boolean): ProbeState {
  const initial = kind === 'liveness' ? true : kind === 'readiness' ? false : undefined;
  return { kind, verdict: verdict ?? initial, run: 0, onHold: false };
}

export interface ContainerView {
  running: boolean;
  startedAt: number;
  /** Whether the container's startup probe passed (true when it has none). */
  started: boolean;
}

/** Whether to run the probe now. */
export function probeDue(state: ProbeState, timing: ProbeTiming, container: ContainerView, now: number): boolean {
  if (!container.running || state.onHold) return false;
  if (state.kind === 'startup' && state.verdict === true) return false;
  if (state.kind !== 'startup' && !container.started) return false;
  return now - container.startedAt >= timing.initialDelayMs;
}

/** The state after one outcome; `changed` when the verdict moved. */
export function recordOutcome(state: ProbeState, timing: ProbeTiming, outcome: ProbeOutcome): { state: ProbeState; changed: boolean } {
  const next: ProbeState = { ...state };
  if (next.lastOutcome === outcome) next.run++;
  else {
    next.lastOutcome = outcome;
    next.run = 1;
  }
  const threshold = outcome === 'success' ? timing.successThreshold : timing.failureThreshold;
  if (next.run < threshold) return { state: next, changed: false };
  const verdict = outcome === 'success';
  const changed = next.verdict !== verdict;
  next.verdict = verdict;
  if (!verdict && (next.kind === 'liveness' || next.kind === 'startup')) {
    next.onHold = true;
    next.run = 0;
  }
  return { state: next, changed };
}
