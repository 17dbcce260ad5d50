/**
 * Judging an object's readiness over time (pure; the clock is passed in). Two rules need time:
 *
 * - unschedulable: some pod of the current rollout has been Unschedulable (PodScheduled=False)
 *   for `unschedulableSettleMs` on end — long enough that a pod freed by a rolling update or a
 *   node that just joined would have let it in. It counts as settled (the run can end, with exit
 *   code 2) but is not final: if the pod is placed after all, the object goes on.
 * - missing image (fail fast): every pod of the current rollout that is not ready waits on an
 *   image pull (ErrImagePull / ImagePullBackOff), a pull of each of those images has failed
 *   with an error saying the image does not exist (not found, manifest unknown, pull access
 *   denied ...), and this has lasted `imageMissingMs`. Then the object has failed (exit code 1)
 *   without waiting for the progress deadline or the timeout.
 *
 * Failed is final (a progress deadline, a failed Job, a failed Pod); ready is what the object
 * shows now.
 */
import { imageDoesNotExist, PodIssue } from './pod-issues';
import type { Assessment } from './readiness';

export type TrackedState = 'waiting' | 'ready' | 'failed' | 'unschedulable' | 'timeout';

export interface Tracked {
  state: TrackedState;
  summary: string;
  progress?: { done: number; total: number };
  issues: PodIssue[];
  /** Why it failed or cannot be scheduled. */
  reason?: string;
}

export interface WaitRules {
  unschedulableSettleMs: number;
  imageMissingMs: number;
}

export const defaultWaitRules: WaitRules = { unschedulableSettleMs: 5_000, imageMissingMs: 30_000 };

export const isSettled = (state: TrackedState): boolean => state !== 'waiting';

export class ObjectTracker {
  private current: Tracked = { state: 'waiting', summary: 'reading its status', issues: [] };
  private failed?: Tracked;
  private unschedulableSince?: number;
  private imageMissingSince?: number;
  /** image → the pull error that said it does not exist. */
  private readonly missingImages = new Map<string, string>();

  constructor(private readonly rules: WaitRules = defaultWaitRules) {}

  get tracked(): Tracked {
    return this.failed ?? this.current;
  }

  update(a: Assessment, now: number): Tracked {
    if (this.failed) return this.failed;
    const base = { summary: a.summary, progress: a.progress, issues: a.issues };
    if (a.state === 'failed') return (this.failed = { ...base, state: 'failed', reason: a.summary });
    if (a.state === 'ready') {
      this.unschedulableSince = this.imageMissingSince = undefined;
      return (this.current = { ...base, state: 'ready' });
    }
    for (const issue of a.issues) {
      if (issue.kind === 'image' && issue.image && imageDoesNotExist(issue.message)) this.missingImages.set(issue.image, issue.message!);
    }

    const missing = this.missingImage(a);
    this.imageMissingSince = missing ? (this.imageMissingSince ?? now) : undefined;
    if (missing && now - this.imageMissingSince! >= this.rules.imageMissingMs) {
      return (this.failed = { ...base, state: 'failed', reason: `image ${missing.image} does not exist: ${missing.error}` });
    }

    const unschedulable = a.issues.find((i) => i.kind === 'unschedulable');
    this.unschedulableSince = unschedulable ? (this.unschedulableSince ?? now) : undefined;
    if (unschedulable && now - this.unschedulableSince! >= this.rules.unschedulableSettleMs) {
      return (this.current = { ...base, state: 'unschedulable', reason: `pod ${unschedulable.pod} cannot be scheduled: ${unschedulable.message ?? 'Unschedulable'}` });
    }
    return (this.current = { ...base, state: 'waiting' });
  }

  /** The verdict when time runs out (or the wait is interrupted): what it is now, or timed out (unschedulable when a pod cannot be placed). */
  timeOut(timeoutMs: number, interrupted = false): Tracked {
    const t = this.tracked;
    if (isSettled(t.state)) return t;
    const unschedulable = t.issues.find((i) => i.kind === 'unschedulable');
    if (unschedulable) return (this.current = { ...t, state: 'unschedulable', reason: `pod ${unschedulable.pod} cannot be scheduled: ${unschedulable.message ?? 'Unschedulable'}` });
    const why = interrupted ? 'interrupted before it was ready' : `not ready after ${Math.round(timeoutMs / 1000)}s`;
    return (this.current = { ...t, state: 'timeout', reason: `${why}: ${t.summary}` });
  }

  /** The image every pending pod waits on, when all of them wait on images known not to exist. */
  private missingImage(a: Assessment): { image: string; error: string } | undefined {
    if (a.pendingPods === 0) return undefined;
    const pulls = a.issues.filter((i) => i.kind === 'image');
    const pods = new Set(pulls.map((i) => i.pod));
    if (pods.size < a.pendingPods) return undefined;
    if (!pulls.every((i) => i.image && this.missingImages.has(i.image))) return undefined;
    const image = pulls[0].image!;
    return { image, error: this.missingImages.get(image)! };
  }
}
