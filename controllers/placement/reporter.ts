/**
 * What placement tells the world about its decisions, off the decision path:
 *
 *   scheduled      ─► event Scheduled "Successfully assigned ns/pod to node"
 *   unschedulable  ─► event FailedScheduling (the message once per new reason; the recorder
 *                     folds repeats into a count)
 *                  ─► status condition PodScheduled=False reason Unschedulable, written in the
 *                     background: one pending write per pod (the latest message wins), a few
 *                     writes at a time, each a compare-and-swap on the pod as the cache has it
 *
 * The status write is skipped when the pod already says the same, and dropped when the pod has
 * meanwhile been bound, deleted or replaced, so a late write never overwrites PodScheduled=True.
 * A write that loses a race (409) waits for the informer's next version of the pod and is tried
 * again against it.
 */
import { isConflict, isNotFound } from '../../src/api/errors';
import type { Pod, PodCondition } from '../../src/api/types';
import { Client, EventRecorder, kinds } from '../../src/client';
import { errorMessage, logger } from '../../src/log';
import { isPending, Reporter } from './scheduler';

const log = logger('placement');

/** Upstream's timestamp form: seconds, no fraction. */
const timestamp = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/** The pod's status with PodScheduled=False for `message`, or undefined when it says that already. */
export function withUnschedulableCondition(pod: Pod, message: string, now: number): Pod['status'] | undefined {
  const conditions = pod.status?.conditions ?? [];
  const current = conditions.find((c) => c.type === 'PodScheduled');
  if (current?.status === 'False' && current.reason === 'Unschedulable' && current.message === message) return undefined;
  const condition: PodCondition = {
    type: 'PodScheduled',
    status: 'False',
    reason: 'Unschedulable',
    message,
    // The transition is when it became False, not each time the reason changes.
    lastTransitionTime: current?.status === 'False' && current.lastTransitionTime ? current.lastTransitionTime : timestamp(now),
  };
  return { ...pod.status, conditions: [...conditions.filter((c) => c.type !== 'PodScheduled'), condition] };
}

interface Wanted {
  uid?: string;
  message: string;
}

export interface ReporterOptions {
  /** Status writes at once (default 8). */
  concurrency?: number;
  now?: () => number;
}

export class PlacementReporter implements Reporter {
  /** key → the message to write; a newer message replaces one not yet written. */
  private readonly pending = new Map<string, Wanted>();
  /** Writes that met a newer pod than the cache held: tried again when the cache catches up. */
  private readonly stale = new Map<string, Wanted>();
  private writing = 0;
  private readonly drained: Array<() => void> = [];
  private readonly concurrency: number;
  private readonly now: () => number;

  constructor(
    private readonly client: Client,
    private readonly recorder: EventRecorder,
    /** The pod under a key as the informer has it now. */
    private readonly current: (key: string) => Pod | undefined,
    /** The scheduler name whose pods these are. */
    private readonly schedulerName: string,
    options: ReporterOptions = {},
  ) {
    this.concurrency = Math.max(1, options.concurrency ?? 8);
    this.now = options.now ?? Date.now;
  }

  scheduled(pod: Pod, node: string): void {
    this.recorder.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node}`);
  }

  unschedulable(pod: Pod, message: string): void {
    this.recorder.event(pod, 'Warning', 'FailedScheduling', message);
    this.pending.set(`${pod.metadata.namespace}/${pod.metadata.name}`, { uid: pod.metadata.uid, message });
    this.drain();
  }

  /** The informer has a new version of a pod: a write that lost a race to it goes again. */
  podChanged(pod: Pod): void {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const wanted = this.stale.get(key);
    if (!wanted) return;
    this.stale.delete(key);
    if (!this.pending.has(key)) this.pending.set(key, wanted);
    this.drain();
  }

  /** Resolves when every status write asked for so far has been made or dropped. */
  async flush(): Promise<void> {
    if (this.pending.size === 0 && this.writing === 0) return;
    await new Promise<void>((resolve) => this.drained.push(resolve));
  }

  private drain(): void {
    while (this.writing < this.concurrency && this.pending.size > 0) {
      const [key, want] = this.pending.entries().next().value!;
      this.pending.delete(key);
      this.writing++;
      void this.write(key, want.uid, want.message).finally(() => {
        this.writing--;
        this.drain();
      });
    }
    if (this.pending.size === 0 && this.writing === 0) for (const resolve of this.drained.splice(0)) resolve();
  }

  private async write(key: string, uid: string | undefined, message: string): Promise<void> {
    const pod = this.current(key);
    if (!pod || pod.metadata.uid !== uid || !isPending(pod, this.schedulerName)) return;
    const status = withUnschedulableCondition(pod, message, this.now());
    if (!status) return;
    try {
      await this.client.resource(kinds.Pod).updateStatus({ ...pod, status });
    } catch (e) {
      if (isNotFound(e)) return;
      // The pod changed since the cache saw it: look again once the cache has the new version.
      if (isConflict(e)) {
        this.stale.set(key, { uid, message });
        return;
      }
      log.warn('could not write the PodScheduled condition', { pod: key, error: errorMessage(e) });
    }
  }
}
