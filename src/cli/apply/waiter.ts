/**
 * Waiting until applied objects are ready: one informer per kind and namespace involved (the
 * applied kinds, and pods, replica sets and endpoints where workloads and services need them),
 * every change re-judged through `assess` and an `ObjectTracker` per object, a one-second tick
 * for the rules that need time, and the last log lines of a crash-looping container fetched once
 * per restart. Ends when every object is settled (ready, failed, or unschedulable) or at the
 * timeout; aborting the signal ends it at once. Everything it starts stops with it.
 */
import type { Obj } from '../../api/object';
import { fromLabelSelector } from '../../api/selector';
import type { Endpoints, Pod, ReplicaSet } from '../../api/types';
import { Client, indexes, Informer, kinds, KindRef, keyOf, SharedInformerFactory } from '../../client';
import { errorMessage } from '../../log';
import type { ObjectIdentity } from './identity';
import type { PodIssue } from './pod-issues';
import { assess, hasReadiness, World } from './readiness';
import { defaultWaitRules, isSettled, ObjectTracker, Tracked, WaitRules } from './tracker';

export interface Waitable {
  identity: ObjectIdentity;
  ref: KindRef;
}

export interface WaitProgress extends Tracked {
  /** The last lines logged by a crash-looping container of the object, when known. */
  logs?: { pod: string; container: string; lines: string[] };
}

export interface WaitOptions {
  timeoutMs: number;
  rules?: WaitRules;
  signal?: AbortSignal;
  /** Called whenever any object's progress changes, and on every tick. */
  onProgress?(progress: WaitProgress[]): void;
  /** How many log lines to show of a crashing container (default 5). */
  logLines?: number;
}

const workloadKinds = new Set(['apps/Deployment', 'apps/ReplicaSet', 'batch/Job', '/Pod']);

export async function waitForReady(client: Client, objects: Waitable[], options: WaitOptions): Promise<WaitProgress[]> {
  const rules = options.rules ?? defaultWaitRules;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const factory = new SharedInformerFactory(client);
  const watched = objects.map((o) => (hasReadiness(o.ref.group, o.ref.kind) ? factory.for(o.ref, { namespace: o.identity.namespace }) : undefined));
  const namespaces = (kindKeys: Set<string>) => [...new Set(objects.filter((o) => kindKeys.has(`${o.ref.group}/${o.ref.kind}`)).map((o) => o.identity.namespace ?? ''))];
  const pods = namespaces(workloadKinds).map((ns) => factory.for(kinds.Pod, { namespace: ns }));
  const replicaSets = namespaces(new Set(['apps/Deployment'])).map((ns) => factory.for(kinds.ReplicaSet, { namespace: ns }));
  const endpoints = namespaces(new Set(['/Service'])).map((ns) => factory.for(kinds.Endpoints, { namespace: ns }));
  const world = informerWorld(pods, replicaSets, endpoints);
  const informers = [...new Set<Informer<Obj>>([...watched.filter((w): w is Informer<Obj> => w !== undefined), ...(pods as Informer[]), ...(replicaSets as Informer[]), ...(endpoints as Informer[])])];
  const trackers = objects.map(() => new ObjectTracker(rules));
  const logs = new CrashLogs(client, options.logLines ?? 5, stop.signal);
  let progress: WaitProgress[] = objects.map(() => ({ state: 'waiting', summary: 'reading its status', issues: [] }));

  const evaluate = (): boolean => {
    const now = Date.now();
    progress = objects.map((o, i) => {
      const informer = watched[i];
      if (!informer) return trackers[i].update({ state: 'ready', summary: 'applied', issues: [], pendingPods: 0 }, now);
      const obj = informer.get(keyOf({ metadata: { namespace: o.identity.namespace, name: o.identity.name } }));
      if (!obj) return trackers[i].update({ state: 'failed', summary: 'deleted while waiting for it', issues: [], pendingPods: 0 }, now);
      const tracked: WaitProgress = trackers[i].update(assess(o.ref.group, o.ref.kind, obj, world), now);
      const crash = tracked.state === 'ready' ? undefined : tracked.issues.find((issue) => issue.kind === 'crash');
      if (crash) {
        const namespace = o.identity.namespace ?? '';
        const lines = logs.lines(namespace, crash, () => notify());
        if (lines) return { ...tracked, logs: { pod: crash.pod, container: crash.container!, lines } };
      }
      return tracked;
    });
    return progress.every((p) => isSettled(p.state));
  };

  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let scheduled = false;
  const notify = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      // Until every cache holds its first list, there is nothing true to judge or show yet.
      if (stop.signal.aborted || !informers.every((i) => i.hasSynced())) return;
      const done = evaluate();
      options.onProgress?.(progress);
      if (done) finish();
    });
  };
  for (const informer of informers) informer.addHandler({ onAdd: notify, onUpdate: notify, onDelete: notify });

  factory.start(stop.signal);
  const tick = setInterval(notify, 1000);
  const deadline = setTimeout(finish, options.timeoutMs);
  stop.signal.addEventListener('abort', () => finish(), { once: true });
  notify();
  try {
    await finished;
    if (!stop.signal.aborted && informers.every((i) => i.hasSynced())) evaluate();
    const interrupted = Boolean(options.signal?.aborted);
    progress = progress.map((p, i) => (isSettled(p.state) ? p : { ...trackers[i].timeOut(options.timeoutMs, interrupted), logs: p.logs }));
    options.onProgress?.(progress);
    return progress;
  } finally {
    clearInterval(tick);
    clearTimeout(deadline);
    options.signal?.removeEventListener('abort', onAbort);
    stop.abort();
    await factory.stopped();
  }
}

function informerWorld(pods: Informer<Pod>[], replicaSets: Informer<ReplicaSet>[], endpoints: Informer<Endpoints>[]): World {
  return {
    podsOwnedBy: (uid) => pods.flatMap((i) => i.byIndex(indexes.owner, uid)),
    podsSelected(namespace, selector) {
      let matcher;
      try {
        matcher = fromLabelSelector(selector);
      } catch {
        return [];
      }
      return pods.flatMap((i) => i.list({ namespace, labelSelector: matcher }));
    },
    replicaSetsOwnedBy: (uid) => replicaSets.flatMap((i) => i.byIndex(indexes.owner, uid)),
    endpoints: (namespace, name) => endpoints.map((i) => i.get(`${namespace}/${name}`)).find(Boolean),
  };
}

/** The last lines of crashed containers, fetched once per pod, container and restart. */
class CrashLogs {
  private readonly fetched = new Map<string, string[] | 'pending'>();

  constructor(
    private readonly client: Client,
    private readonly tail: number,
    private readonly signal: AbortSignal,
  ) {}

  lines(namespace: string, crash: PodIssue, changed: () => void): string[] | undefined {
    const key = `${namespace}/${crash.pod}/${crash.container}/${crash.restarts ?? 0}`;
    const known = this.fetched.get(key);
    if (known === 'pending') return this.latest(namespace, crash);
    if (known) return known;
    this.fetched.set(key, 'pending');
    void this.fetch(namespace, crash).then((lines) => {
      this.fetched.set(key, lines);
      changed();
    });
    return this.latest(namespace, crash);
  }

  /** While a newer restart's lines are on their way, the previous restart's. */
  private latest(namespace: string, crash: PodIssue): string[] | undefined {
    const prefix = `${namespace}/${crash.pod}/${crash.container}/`;
    const done = [...this.fetched.entries()].filter(([k, v]) => k.startsWith(prefix) && v !== 'pending');
    return done.length > 0 ? (done[done.length - 1][1] as string[]) : undefined;
  }

  private async fetch(namespace: string, crash: PodIssue): Promise<string[]> {
    const pods = this.client.resource(kinds.Pod, namespace);
    for (const previous of [true, false]) {
      try {
        const stream = await pods.logs(crash.pod, { container: crash.container, previous, tailLines: this.tail, signal: this.signal });
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        const lines = Buffer.concat(chunks).toString('utf8').split('\n').filter((l) => l.length > 0);
        if (lines.length > 0 || !previous) return lines.slice(-this.tail);
      } catch (e) {
        if (!previous) return [`(no logs: ${errorMessage(e)})`];
      }
    }
    return [];
  }
}
