/**
 * The garbage collector, keyed by uid (objects of any kind):
 *
 *   informers of every kind ─► OwnerGraph (uid index, owner index)
 *        │ an object with owners added or changed; an owner starting or finishing its deletion;
 *        │ an object gone (its dependents, and owners waiting on it)
 *        ▼
 *   queue of uids ─► reconcile(uid):
 *        being deleted with `orphan`             → its dependents lose their references to it; finalizer off
 *        being deleted with `foregroundDeletion` → its dependents deleted; finalizer off once none blocks
 *        with owners                             → owners all gone (or waiting) → delete it; some gone → drop those references
 *
 * Level-based: when it starts leading it looks at every object with owners or a pending
 * deletion, so deletions missed while no collector ran are finished. An owner missing from the
 * cache (or there under another uid) is looked up on the server before anything is deleted.
 */
import { isNotFound, NotFound } from '../../src/api/errors';
import type { Obj, OwnerReference } from '../../src/api/object';
import { untilAborted } from '../../src/client/abort';
import { Client, ControllerDeclaration, ControllerTools, EventHandlers, EventRecorder, KindRef, ReconcileContext, Reconciler, requeueAfter, Result, WorkQueue } from '../../src/client';
import { blockingDependents, dependentAction, isOrphaning, isWaitingForDependents, orphanFinalizer, foregroundFinalizer, OwnerState, withoutFinalizer, withReferences } from './decide';
import { Node, OwnerGraph } from './graph';

const refsOf = (obj: Obj): readonly OwnerReference[] => obj.metadata.ownerReferences ?? [];

/** Whether the collector has anything to look at in this object. */
function concerns(obj: Obj): boolean {
  return refsOf(obj).length > 0 || isWaitingForDependents(obj) || isOrphaning(obj);
}

const deletionState = (obj: Obj): string => `${obj.metadata.deletionTimestamp ?? ''} ${(obj.metadata.finalizers ?? []).join(',')}`;

export class GarbageCollector implements Reconciler {
  private queue?: WorkQueue;

  constructor(
    private readonly graph: OwnerGraph,
    private readonly client: Client,
    private readonly recorder: EventRecorder,
  ) {}

  /** What the graph's informers tell the collector; keys go to the queue while it runs. */
  handlers(): EventHandlers<Obj> {
    const enqueue = (uid: string | undefined) => {
      if (uid) this.queue?.add(uid);
    };
    /** Owners that wait on their dependents (or orphan them) look again when one changes or goes. */
    const ownersOf = (obj: Obj) => {
      for (const ref of refsOf(obj)) {
        const owner = this.graph.node(ref.uid)?.object;
        if (owner && (isWaitingForDependents(owner) || isOrphaning(owner))) enqueue(ref.uid);
      }
    };
    return {
      onAdd: (obj) => {
        if (concerns(obj)) enqueue(obj.metadata.uid);
      },
      onUpdate: (old, obj) => {
        const refsChanged = JSON.stringify(refsOf(old)) !== JSON.stringify(refsOf(obj));
        const deletionChanged = deletionState(old) !== deletionState(obj);
        // A resync (old === obj) looks again too: level-based.
        if ((refsChanged || deletionChanged || old === obj) && concerns(obj)) enqueue(obj.metadata.uid);
        if (refsChanged || deletionChanged) {
          ownersOf(old);
          ownersOf(obj);
        }
      },
      onDelete: (obj) => {
        for (const dependent of this.graph.dependents(obj.metadata.uid ?? '')) enqueue(dependent.object.metadata.uid);
        ownersOf(obj);
      },
    };
  }

  /** Feeds the queue until `signal` aborts, starting with every object that concerns the collector. */
  async run(queue: WorkQueue, signal: AbortSignal): Promise<void> {
    this.queue = queue;
    for (const obj of this.graph.all()) if (concerns(obj) && obj.metadata.uid) queue.add(obj.metadata.uid);
    await untilAborted(signal);
    this.queue = undefined;
  }

  async reconcile(ctx: ReconcileContext, uid: string): Promise<Result | void> {
    // A custom kind added a moment ago may not be listed yet: decide on a whole graph only.
    if (!this.graph.synced()) return requeueAfter(500);
    const node = this.graph.node(uid);
    if (!node) return;
    const obj = node.object;
    if (isOrphaning(obj)) return this.orphanDependents(ctx, node);
    if (isWaitingForDependents(obj)) return this.deleteDependents(ctx, node);
    // Being deleted some other way: its own deletion is under way already.
    if (obj.metadata.deletionTimestamp || refsOf(obj).length === 0) return;

    const owners = new Map<string, OwnerState>();
    for (const ref of refsOf(obj)) owners.set(ref.uid, await this.ownerState(ctx, node, ref));
    const dependents = this.graph.dependents(uid);
    const action = dependentAction(obj, owners, dependents.length > 0, dependents.some((d) => isWaitingForDependents(d.object)));
    const resource = this.client.resource(node.kind);
    const what = { kind: node.kind.kind, namespace: obj.metadata.namespace, name: obj.metadata.name };
    if (action.do === 'removeReferences') {
      await resource.update(withReferences(obj, action.uids), { signal: ctx.signal });
      ctx.log.info('removed references to owners that are gone', { ...what, owners: action.uids });
    } else if (action.do === 'delete') {
      if (action.unblock.length > 0) await resource.update(withReferences(obj, [], action.unblock), { signal: ctx.signal });
      await this.delete(ctx, node, action.policy);
    }
  }

  /** Whether the owner `ref` names is there, gone, or waiting for its dependents. */
  private async ownerState(ctx: ReconcileContext, node: Node, ref: OwnerReference): Promise<OwnerState> {
    const namespace = node.object.metadata.namespace;
    let kind: KindRef | undefined = this.graph.kindOf(ref);
    if (kind?.namespaced && !namespace) {
      // A cluster-scoped object cannot be owned by a namespaced one: the reference is left alone.
      this.recorder.event(node.object, 'Warning', 'OwnerRefInvalidNamespace', `ownerRef [${ref.apiVersion}/${ref.kind}, namespace: , name: ${ref.name}, uid: ${ref.uid}] does not exist in namespace ""`);
      return 'solid';
    }
    const cached = kind ? this.graph.cached(kind, namespace, ref.name) : undefined;
    if (cached?.metadata.uid === ref.uid) return isWaitingForDependents(cached) ? 'waiting' : 'solid';
    // The cache may lag (an owner created a moment ago) or hold what replaced it: the server decides.
    // A kind the server does not serve throws: retried with backoff, as upstream does.
    kind ??= await this.client.discover(ref.apiVersion, ref.kind, { signal: ctx.signal });
    try {
      const live = await this.client.resource(kind, kind.namespaced ? namespace : undefined).get(ref.name, { signal: ctx.signal });
      if (live.metadata.uid !== ref.uid) return 'dangling';
      return isWaitingForDependents(live) ? 'waiting' : 'solid';
    } catch (e) {
      if (e instanceof NotFound) return 'dangling';
      throw e;
    }
  }

  private async delete(ctx: ReconcileContext, node: Node, policy: 'Background' | 'Foreground' | 'Orphan'): Promise<void> {
    const { name, namespace, uid, resourceVersion } = node.object.metadata;
    try {
      // Only the version judged: a dependent adopted or changed meanwhile is judged again.
      await this.client.resource(node.kind, namespace).delete(name!, { propagationPolicy: policy, preconditions: { uid, resourceVersion }, signal: ctx.signal });
      ctx.log.info('deleted an object whose owners are gone', { kind: node.kind.kind, namespace, name, propagationPolicy: policy });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  /** Foreground: delete the dependents; the owner goes once none with blockOwnerDeletion is left. */
  private async deleteDependents(ctx: ReconcileContext, node: Node): Promise<void> {
    const uid = node.object.metadata.uid!;
    const dependents = this.graph.dependents(uid);
    if (blockingDependents(uid, dependents).length === 0) {
      await this.removeFinalizer(ctx, node, foregroundFinalizer);
      return;
    }
    // Each dependent, judged on its own, finds its owner waiting and goes (or drops the reference).
    for (const dependent of dependents) if (!dependent.object.metadata.deletionTimestamp) this.queue?.add(dependent.object.metadata.uid!);
  }

  /** Orphan: every dependent loses its reference to the owner, then the owner goes. */
  private async orphanDependents(ctx: ReconcileContext, node: Node): Promise<void> {
    const uid = node.object.metadata.uid!;
    for (const dependent of this.graph.dependents(uid)) {
      await this.client.resource(dependent.kind).update(withReferences(dependent.object, [uid]), { signal: ctx.signal });
    }
    await this.removeFinalizer(ctx, node, orphanFinalizer);
  }

  private async removeFinalizer(ctx: ReconcileContext, node: Node, finalizer: string): Promise<void> {
    try {
      await this.client.resource(node.kind).update(withoutFinalizer(node.object, finalizer), { signal: ctx.signal });
      ctx.log.info('dependents done; finalizer removed', { kind: node.kind.kind, namespace: node.object.metadata.namespace, name: node.object.metadata.name, finalizer });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

export function garbageCollectorController(tools: ControllerTools): ControllerDeclaration {
  const graph = new OwnerGraph(tools.informers);
  const collector = new GarbageCollector(graph, tools.client, tools.recorder('garbage-collector-controller'));
  graph.listen(collector.handlers());
  return {
    name: 'garbage-collector',
    // No `for`: keys are uids of objects of any kind. The built-in kinds are listed so the
    // workers start once they are synced; custom kinds join as their definitions appear.
    watches: graph.builtinKinds.map((kind) => ({ kind, map: () => [] })),
    workers: 8,
    reconciler: collector,
    run: (queue, signal) => collector.run(queue, signal),
  };
}
