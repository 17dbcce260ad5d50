/**
 * The cluster as placement sees it: every node with the sums of the pods bound to it, and
 * indexes over those pods by label, by owner, and for required anti-affinity, so that a
 * decision never scans every pod. A scheduler keeps one snapshot current from informer events:
 *
 *   nodes informer ─► setNode / removeNode        O(1), O(nodes) only when a node joins or leaves
 *   pods informer  ─► addPod / removePod          O(pod): its requests, ports and labels
 *   bind in flight ─► assume, and forget when the bind fails
 *
 * Pods may arrive before their node: their sums wait on a node entry that is not placeable
 * until its Node arrives. Terminal pods (Succeeded, Failed) hold nothing, as upstream.
 * A snapshot is single-threaded state: `place` reads it and never changes it.
 */
import type { Selector } from '../../src/api/selector';
import type { Namespace, Node, Pod } from '../../src/api/types';
import { NodeInfo } from './node-info';
import { NodeTable } from './node-table';
import { AffinityTerm, isPodInfo, podInfo, podKey, PodInfo } from './pod-info';

/** A pod bound (or assumed bound) to a node. */
export interface BoundPod {
  readonly info: PodInfo;
  readonly node: NodeInfo;
  readonly assumed: boolean;
}

/** One required anti-affinity term of a bound pod. */
export interface AntiAffinityTerm {
  readonly bound: BoundPod;
  readonly term: AffinityTerm;
}

const labelPair = (key: string, value: string): string => `${key}=${value}`;

/** The `key=value` pairs under which a term is indexed: the values of its first equality or `in` requirement. */
function labelsDemanded(term: AffinityTerm): string[] {
  const r = term.selector.requirements.find((x) => x.operator === '=' || x.operator === '==' || x.operator === 'in');
  return r ? r.values.map((v) => labelPair(r.key, v)) : [];
}

const noLabels: Readonly<Record<string, string>> = Object.freeze({});
const nothing: ReadonlySet<BoundPod> = new Set();

/** Sets one cell of a column, growing it densely (no holes) to reach `slot`. */
function setCell(column: Array<string | undefined>, slot: number, value: string | undefined): void {
  while (column.length <= slot) column.push(undefined);
  column[slot] = value;
}

export class Snapshot {
  /** What decisions read of each node, one row per NodeInfo (see node-table.ts). */
  readonly table = new NodeTable(1024);
  /** Placeable nodes (those with a Node object), sorted by name: decisions do not depend on event order. */
  private readonly list: NodeInfo[] = [];
  private readonly byName = new Map<string, NodeInfo>();
  private readonly pods = new Map<string, BoundPod>();
  /** label key → value → pods carrying it. */
  private readonly byLabel = new Map<string, Map<string, Set<BoundPod>>>();
  private readonly byOwner = new Map<string, Set<BoundPod>>();
  /** Required anti-affinity terms of bound pods, by one `key=value` their selector demands. */
  private readonly antiAffinityByLabel = new Map<string, Set<AntiAffinityTerm>>();
  /** Terms whose selector demands no single value: checked against every incoming pod. */
  private readonly antiAffinityUnindexed = new Set<AntiAffinityTerm>();
  private readonly antiAffinityOf = new Map<BoundPod, AntiAffinityTerm[]>();
  private readonly namespaces = new Map<string, Readonly<Record<string, string>>>();
  /** Per label key asked for, each node's value by slot (see `labelColumn`). */
  private readonly labelColumns = new Map<string, Array<string | undefined>>();

  /** Builds a snapshot from scratch: what an informer's initial list gives. */
  static of(nodes: readonly Node[], pods: readonly Pod[], namespaces: readonly Namespace[] = []): Snapshot {
    const snapshot = new Snapshot();
    for (const n of nodes) snapshot.setNode(n);
    for (const p of pods) snapshot.addPod(p);
    for (const ns of namespaces) snapshot.setNamespace(ns);
    return snapshot;
  }

  /** The placeable nodes, sorted by name. */
  get nodes(): readonly NodeInfo[] {
    return this.list;
  }

  /** A placeable node by name. */
  node(name: string): NodeInfo | undefined {
    const n = this.byName.get(name);
    return n?.node ? n : undefined;
  }

  /**
   * Every node's value of one label, indexed by the nodes' slots (undefined where a node has
   * none): a decision that reads a label of hundreds of nodes reads one array instead of each
   * node's label object. Kept current from the first call on.
   */
  labelColumn(key: string): ReadonlyArray<string | undefined> {
    let column = this.labelColumns.get(key);
    if (!column) {
      column = [];
      this.labelColumns.set(key, column);
      for (const info of this.byName.values()) setCell(column, info.slot, info.labels[key]);
    }
    return column;
  }

  /** The pod with this key (uid, or namespace/name) as the snapshot holds it. */
  pod(key: string): BoundPod | undefined {
    return this.pods.get(key);
  }

  get podCount(): number {
    return this.pods.size;
  }

  // ---- nodes --------------------------------------------------------------------------------

  setNode(node: Node): void {
    const name = node.metadata.name ?? '';
    const existing = this.byName.get(name);
    const info = existing ?? new NodeInfo(name, this.table);
    const placeable = info.node !== undefined;
    info.setNode(node);
    this.updateLabelColumns(info);
    if (!existing) this.byName.set(name, info);
    if (!placeable) this.list.splice(this.insertionPoint(name), 0, info);
  }

  removeNode(name: string): void {
    const info = this.byName.get(name);
    if (!info?.node) return;
    info.clearNode();
    this.updateLabelColumns(info);
    this.list.splice(this.insertionPoint(name), 1);
    // Its pods keep their sums there: if the Node comes back before they go, it is still full.
    if (info.pods.size === 0) this.forgetNode(info);
  }

  /** Drops a node entry that neither a Node nor a pod needs any more. */
  private forgetNode(info: NodeInfo): void {
    this.byName.delete(info.name);
    for (const column of this.labelColumns.values()) setCell(column, info.slot, undefined);
    info.release();
  }

  private updateLabelColumns(info: NodeInfo): void {
    for (const [key, column] of this.labelColumns) setCell(column, info.slot, info.labels[key]);
  }

  /** Where `name` is, or would go, in the sorted list. */
  private insertionPoint(name: string): number {
    let low = 0;
    let high = this.list.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.list[middle].name < name) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  // ---- pods ---------------------------------------------------------------------------------

  /**
   * Adds or updates a pod from an informer event. A pod that is not bound, or has finished,
   * is removed. The informer's version of a pod replaces an assumed one.
   */
  addPod(pod: Pod): void {
    const nodeName = pod.spec?.nodeName;
    const phase = pod.status?.phase;
    if (!nodeName || phase === 'Succeeded' || phase === 'Failed') {
      this.removePod(pod);
      return;
    }
    this.bind(podInfo(pod), nodeName, false);
  }

  removePod(pod: Pod | string): void {
    const bound = this.pods.get(typeof pod === 'string' ? pod : podKey(pod));
    if (bound) this.unbind(bound);
  }

  /** Counts `pod` on `nodeName` while its bind is in flight, so the next decision sees it. */
  assume(pod: Pod | PodInfo, nodeName: string): void {
    this.bind(isPodInfo(pod) ? pod : podInfo(pod), nodeName, true);
  }

  /** Drops an assumed pod whose bind failed. True when there was one; a confirmed pod stays. */
  forget(pod: Pod | PodInfo | string): boolean {
    const key = typeof pod === 'string' ? pod : isPodInfo(pod) ? pod.key : podKey(pod);
    const bound = this.pods.get(key);
    if (!bound?.assumed) return false;
    this.unbind(bound);
    return true;
  }

  private bind(info: PodInfo, nodeName: string, assumed: boolean): void {
    const previous = this.pods.get(info.key);
    if (previous) this.unbind(previous);
    let node = this.byName.get(nodeName);
    if (!node) {
      node = new NodeInfo(nodeName, this.table);
      this.byName.set(nodeName, node);
    }
    const bound: BoundPod = { info, node, assumed };
    node.addPod(info);
    this.pods.set(info.key, bound);
    for (const [key, value] of Object.entries(info.labels)) {
      let values = this.byLabel.get(key);
      if (!values) this.byLabel.set(key, (values = new Map()));
      let set = values.get(value);
      if (!set) values.set(value, (set = new Set()));
      set.add(bound);
    }
    if (info.owner !== undefined) {
      let owned = this.byOwner.get(info.owner);
      if (!owned) this.byOwner.set(info.owner, (owned = new Set()));
      owned.add(bound);
    }
    if (info.requiredAntiAffinity.length > 0) this.indexAntiAffinity(bound);
  }

  private unbind(bound: BoundPod): void {
    const { info, node } = bound;
    this.pods.delete(info.key);
    node.removePod(info);
    if (!node.node && node.pods.size === 0) this.forgetNode(node);
    for (const [key, value] of Object.entries(info.labels)) {
      const values = this.byLabel.get(key);
      const set = values?.get(value);
      if (!values || !set) continue;
      set.delete(bound);
      if (set.size === 0) values.delete(value);
      if (values.size === 0) this.byLabel.delete(key);
    }
    if (info.owner !== undefined) {
      const owned = this.byOwner.get(info.owner);
      owned?.delete(bound);
      if (owned?.size === 0) this.byOwner.delete(info.owner);
    }
    for (const entry of this.antiAffinityOf.get(bound) ?? []) {
      for (const label of labelsDemanded(entry.term)) {
        const set = this.antiAffinityByLabel.get(label);
        set?.delete(entry);
        if (set?.size === 0) this.antiAffinityByLabel.delete(label);
      }
      this.antiAffinityUnindexed.delete(entry);
    }
    this.antiAffinityOf.delete(bound);
  }

  private indexAntiAffinity(bound: BoundPod): void {
    const entries = bound.info.requiredAntiAffinity.filter((term) => term.selector.selectsAnything).map((term) => ({ bound, term }));
    this.antiAffinityOf.set(bound, entries);
    for (const entry of entries) {
      const labels = labelsDemanded(entry.term);
      if (labels.length === 0) this.antiAffinityUnindexed.add(entry);
      for (const label of labels) {
        let set = this.antiAffinityByLabel.get(label);
        if (!set) this.antiAffinityByLabel.set(label, (set = new Set()));
        set.add(entry);
      }
    }
  }

  // ---- namespaces (for namespaceSelector in pod affinity terms) ------------------------------

  setNamespace(namespace: Namespace): void {
    this.namespaces.set(namespace.metadata.name ?? '', namespace.metadata.labels ?? noLabels);
  }

  removeNamespace(name: string): void {
    this.namespaces.delete(name);
  }

  namespaceLabels(name: string): Readonly<Record<string, string>> {
    return this.namespaces.get(name) ?? noLabels;
  }

  // ---- indexes --------------------------------------------------------------------------------

  /**
   * A superset of the pods `selector` can match, found through the label index: the pods
   * under its narrowest `key=value` / `key in (...)` requirement, else under an `exists`
   * requirement's key, else every pod. Callers still match each pod.
   */
  *candidates(selector: Selector): Iterable<BoundPod> {
    if (!selector.selectsAnything) return;
    let best: Set<BoundPod>[] | undefined;
    let bestSize = Infinity;
    let existsKey: string | undefined;
    for (const r of selector.requirements) {
      if (r.operator === '=' || r.operator === '==' || r.operator === 'in') {
        const values = this.byLabel.get(r.key);
        const sets = r.values.map((v) => values?.get(v)).filter((s): s is Set<BoundPod> => s !== undefined);
        const size = sets.reduce((sum, s) => sum + s.size, 0);
        if (size < bestSize) {
          best = sets;
          bestSize = size;
        }
      } else if (r.operator === 'exists' && existsKey === undefined) {
        existsKey = r.key;
      }
    }
    if (best) {
      for (const set of best) yield* set;
      return;
    }
    if (existsKey !== undefined) {
      for (const set of this.byLabel.get(existsKey)?.values() ?? []) yield* set;
      return;
    }
    yield* this.pods.values();
  }

  /** The pods whose controller is `owner` (a uid). */
  ownedBy(owner: string): ReadonlySet<BoundPod> {
    return this.byOwner.get(owner) ?? nothing;
  }

  /**
   * The required anti-affinity terms of bound pods that could select a pod with `labels`: those
   * indexed under one of its labels, and those that demand no single label value. Each term
   * comes at most once; callers still match it.
   */
  *antiAffinityTermsFor(labels: Readonly<Record<string, string>>): Iterable<AntiAffinityTerm> {
    yield* this.antiAffinityUnindexed;
    for (const [key, value] of Object.entries(labels)) {
      const set = this.antiAffinityByLabel.get(labelPair(key, value));
      if (set) yield* set;
    }
  }

  /**
   * Everything the snapshot holds, in a canonical order: two snapshots that hold the same
   * cluster summarize equal however they got there.
   */
  summary(): unknown {
    const sorted = <T>(items: Iterable<T>, key: (t: T) => string): T[] => [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    const keys = (pods: Iterable<BoundPod>) => [...pods].map((p) => p.info.key).sort();
    return {
      placeable: this.list.map((n) => n.name),
      nodes: sorted(this.byName.values(), (n) => n.name).map((n) => ({
        name: n.name,
        exists: n.node !== undefined,
        labels: n.labels,
        readiness: n.readiness,
        unschedulable: n.unschedulable,
        blockingTaints: n.blockingTaints,
        preferNoScheduleTaints: n.preferNoScheduleTaints,
        allocatable: [n.allocatableCpu, n.allocatableMemory, n.allocatableEphemeralStorage, n.allocatablePods, sorted(n.allocatableScalar, ([k]) => k)],
        requested: [n.requestedCpu, n.requestedMemory, n.requestedEphemeralStorage, sorted(n.requestedScalar, ([k]) => k)],
        scoring: [n.scoringCpu, n.scoringMemory],
        pods: [...n.pods.keys()].sort(),
        ports: n.usedPorts(),
      })),
      pods: sorted(this.pods.values(), (p) => p.info.key).map((p) => [p.info.key, p.node.name, p.assumed]),
      labels: sorted(this.byLabel, ([k]) => k).map(([k, values]) => [k, sorted(values, ([v]) => v).map(([v, pods]) => [v, keys(pods)])]),
      owners: sorted(this.byOwner, ([k]) => k).map(([k, pods]) => [k, keys(pods)]),
      antiAffinity: sorted(this.antiAffinityOf, ([b]) => b.info.key).map(([b, terms]) => [b.info.key, terms.length]),
      antiAffinityIndex: sorted(this.antiAffinityByLabel, ([k]) => k).map(([k, terms]) => [k, terms.size]),
      antiAffinityUnindexed: this.antiAffinityUnindexed.size,
      namespaces: sorted(this.namespaces, ([k]) => k),
    };
  }
}
