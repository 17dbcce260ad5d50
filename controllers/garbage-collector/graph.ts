/**
 * The owner graph, read straight from informer caches: one informer per kind that can own or be
 * owned — every built-in kind but Events, and every kind a CustomResourceDefinition adds — each
 * indexed by uid and (as every cache is) by the uids in its ownerReferences.
 *
 *   object by uid           ─► the informer whose uid index holds it
 *   dependents of a uid     ─► every informer's owner index
 *   owner of a reference    ─► the informer of its group and kind, by namespace and name
 *
 * Kinds are known by group and kind, whatever the version: an ownerReference written at one
 * version of a kind names the same owner at any other.
 */
import { builtinKinds, fromCustomResourceDefinition } from '../../crds';
import type { KindDeclaration } from '../../crds';
import type { Obj, OwnerReference } from '../../src/api/object';
import type { CustomResourceDefinition } from '../../src/api/types';
import { EventHandlers, indexes, Informer, kindRef, KindRef, kinds, parseApiVersion, SharedInformerFactory } from '../../src/client';
import { logger } from '../../src/log';

const log = logger('garbage-collector');

/** Upstream's garbage collector leaves Events alone: there are many and nothing owns them. */
const ignored = new Set(['/Event', 'events.k8s.io/Event']);

export const uidIndex = 'garbage-collector.uid';

export interface Node {
  readonly kind: KindRef;
  readonly object: Obj;
}

export const kindKey = (group: string, kind: string): string => `${group}/${kind}`;

/** The reference of `ref` to `uid`, if it has one. */
export const referenceTo = (obj: Obj, uid: string): OwnerReference | undefined => obj.metadata.ownerReferences?.find((r) => r.uid === uid);

export class OwnerGraph {
  private readonly watched = new Map<string, { kind: KindRef; informer: Informer<Obj> }>();
  private readonly handlers: EventHandlers<Obj>[] = [];

  constructor(private readonly informers: SharedInformerFactory) {
    for (const decl of builtinKinds) if (!ignored.has(kindKey(decl.group, decl.kind))) this.watch(decl);
    // A CustomResourceDefinition adds a kind; its informer stays when the definition goes (it
    // just finds nothing to list), and serves again if the definition comes back.
    const definitions = informers.for(kinds.CustomResourceDefinition);
    const follow = (crd: CustomResourceDefinition) => {
      const served = fromCustomResourceDefinition(crd);
      const stored = crd.spec.versions.find((v) => v.storage)?.name;
      const decl = served.find((d) => d.version === stored) ?? served[0];
      if (decl) this.watch(decl);
    };
    definitions.addHandler({ onAdd: follow, onUpdate: (_old, crd) => follow(crd) });
  }

  /** The built-in kinds watched: there from the start, so the workers can wait for their lists. */
  get builtinKinds(): KindRef[] {
    return [...this.watched.values()].filter(({ kind }) => builtinKinds.some((d) => d.group === kind.group && d.kind === kind.kind)).map((w) => w.kind);
  }

  /** Whether every watched kind has been listed. */
  synced(): boolean {
    return [...this.watched.values()].every(({ informer }) => informer.hasSynced());
  }

  /** Handlers for every watched kind, those added later included. */
  listen(handlers: EventHandlers<Obj>): void {
    this.handlers.push(handlers);
    for (const { informer } of this.watched.values()) informer.addHandler(handlers);
  }

  /** Every object in the graph (for a full look after a restart). */
  *all(): Iterable<Obj> {
    for (const { informer } of this.watched.values()) yield* informer.list();
  }

  node(uid: string): Node | undefined {
    for (const { kind, informer } of this.watched.values()) {
      const [object] = informer.byIndex(uidIndex, uid);
      if (object) return { kind, object };
    }
    return undefined;
  }

  /** Objects with an ownerReference to `uid`. */
  dependents(uid: string): Node[] {
    const found: Node[] = [];
    for (const { kind, informer } of this.watched.values()) for (const object of informer.byIndex(indexes.owner, uid)) found.push({ kind, object });
    return found;
  }

  /** The watched kind an ownerReference names, if any. */
  kindOf(ref: Pick<OwnerReference, 'apiVersion' | 'kind'>): KindRef | undefined {
    return this.watched.get(kindKey(parseApiVersion(ref.apiVersion).group, ref.kind))?.kind;
  }

  /** The cached object of `kind` named `name` (in `namespace` for namespaced kinds). */
  cached(kind: KindRef, namespace: string | undefined, name: string): Obj | undefined {
    return this.watched.get(kindKey(kind.group, kind.kind))?.informer.cache.getByName(kind.namespaced ? namespace : undefined, name);
  }

  private watch(decl: Pick<KindDeclaration, 'group' | 'version' | 'kind' | 'plural' | 'scope'>): void {
    const key = kindKey(decl.group, decl.kind);
    if (this.watched.has(key)) return;
    const kind = kindRef(decl);
    const informer = this.informers.for(kind);
    informer.addIndex(uidIndex, (o) => (o.metadata.uid ? [o.metadata.uid] : []));

    this.watched.set(key, { kind, informer });
    for (const handlers of this.handlers) informer.addHandler(handlers);
    if (!builtinKinds.some((d) => d.group === decl.group && d.kind === decl.kind)) {
      log.info('watching a custom kind for owner references', { group: decl.group, kind: decl.kind, version: decl.version });
    }
  }
}
