/**
 * A pod as placement sees it, compiled once from the Pod object: what it asks of a node
 * (requests, host ports), what it demands of a node (tolerations, node selector, node affinity),
 * and how it relates to other pods (labels, owner, pod (anti-)affinity, spread constraints).
 * The snapshot keeps one per bound pod; `place` compiles one for the pod it places.
 */
import { Invalid } from '../../src/api/errors';
import { fromLabelSelector, LabelSelector, Selector } from '../../src/api/selector';
import type { NodeSelectorTerm, Pod, PodSpec, Toleration } from '../../src/api/types';
import { podRequests, QuantityError, ResourceList } from '../../src/util/quantity';

export const hostnameLabel = 'kubernetes.io/hostname';
export const zoneLabel = 'topology.kubernetes.io/zone';

/** What upstream counts for a container that asks no cpu or memory, when scoring (not when fitting). */
export const defaultScoringCpu = 100;
export const defaultScoringMemory = 200 * 1024 * 1024;

export interface Requests {
  /** Millicores. */
  readonly cpu: number;
  readonly memory: number;
  readonly ephemeralStorage: number;
  /** Every other resource the pod asks (extended resources, hugepages), in the pod's order. */
  readonly scalar: ReadonlyArray<readonly [string, number]>;
  /** cpu and memory as scores count them: a container that asks none counts 100m and 200Mi. */
  readonly scoringCpu: number;
  readonly scoringMemory: number;
}

export interface HostPort {
  /** '0.0.0.0' when the pod binds every address. */
  readonly ip: string;
  readonly protocol: string;
  readonly port: number;
}

/** A pod (anti-)affinity term with its selectors parsed. */
export interface AffinityTerm {
  readonly selector: Selector;
  readonly namespaces: ReadonlySet<string>;
  /** Also pods in namespaces whose labels this selects; absent means only `namespaces`. */
  readonly namespaceSelector?: Selector;
  readonly topologyKey: string;
  /** The preference weight; 1 for required terms. */
  readonly weight: number;
}

/** Which pods a spread constraint counts: those its selector matches, or those of one controller. */
export type PodGroup = { readonly selector: Selector } | { readonly owner: string };

export interface SpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
  readonly group: PodGroup;
  readonly minDomains: number;
  readonly honorNodeAffinity: boolean;
  readonly honorTaints: boolean;
}

export interface PreferredNodeTerm {
  readonly weight: number;
  readonly term: NodeSelectorTerm;
}

export interface PodInfo {
  /** The uid, or namespace/name for a pod not yet stored. */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The uid of the controller that owns the pod (its ReplicaSet, Job...). */
  readonly owner?: string;
  /** Being deleted: still holds its resources, no longer counts for spreading. */
  readonly terminating: boolean;
  readonly requests: Requests;
  readonly hostPorts: readonly HostPort[];
  readonly tolerations: readonly Toleration[];
  readonly nodeSelector: ReadonlyArray<readonly [string, string]>;
  /** The required node affinity terms (ORed), or undefined when there are none. */
  readonly requiredNodeTerms?: readonly NodeSelectorTerm[];
  readonly preferredNodeTerms: readonly PreferredNodeTerm[];
  readonly requiredAffinity: readonly AffinityTerm[];
  readonly requiredAntiAffinity: readonly AffinityTerm[];
  readonly preferredAffinity: readonly AffinityTerm[];
  readonly preferredAntiAffinity: readonly AffinityTerm[];
  /** The pod's own topologySpreadConstraints. */
  readonly spreadConstraints: readonly SpreadConstraint[];
  readonly pod: Pod;
}

export function isPodInfo(pod: Pod | PodInfo): pod is PodInfo {
  return 'pod' in pod && 'requests' in pod;
}

export function podKey(pod: Pod): string {
  return pod.metadata.uid ?? `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name ?? ''}`;
}

type Container = NonNullable<PodSpec['containers']>[number];

const hasResource = (c: Container, name: string): boolean =>
  c.resources?.requests?.[name] !== undefined || c.resources?.limits?.[name] !== undefined;

/** The container with 100m cpu and 200Mi memory requested when it asks none, as upstream scores it. */
function withScoringDefaults(c: Container): Container {
  const cpu = hasResource(c, 'cpu');
  const memory = hasResource(c, 'memory');
  if (cpu && memory) return c;
  const requests: Record<string, string | number> = { ...(c.resources?.requests ?? {}) };
  if (!cpu) requests.cpu = `${defaultScoringCpu}m`;
  if (!memory) requests.memory = defaultScoringMemory;
  return { ...c, resources: { ...c.resources, requests } };
}

function requestsOf(spec: PodSpec): Requests {
  const total: ResourceList = podRequests(spec);
  const scoring = podRequests({
    ...spec,
    containers: (spec.containers ?? []).map(withScoringDefaults),
    initContainers: spec.initContainers?.map(withScoringDefaults),
  });
  const scalar: Array<readonly [string, number]> = [];
  for (const [name, value] of Object.entries(total)) {
    if (name === 'cpu' || name === 'memory' || name === 'ephemeral-storage' || name === 'pods') continue;
    if (value > 0) scalar.push([name, value]);
  }
  return {
    cpu: total.cpu ?? 0,
    memory: total.memory ?? 0,
    ephemeralStorage: total['ephemeral-storage'] ?? 0,
    scalar,
    scoringCpu: scoring.cpu ?? 0,
    scoringMemory: scoring.memory ?? 0,
  };
}

/** Host ports of the app containers and of sidecars (init containers that keep running). */
function hostPortsOf(spec: PodSpec): HostPort[] {
  const ports: HostPort[] = [];
  const containers = [...(spec.containers ?? []), ...(spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')];
  for (const c of containers) {
    for (const p of c.ports ?? []) {
      // With hostNetwork the container port is the host port (upstream defaults hostPort to it).
      const port = p.hostPort ?? (spec.hostNetwork ? p.containerPort : 0);
      if (port > 0) ports.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port });
    }
  }
  return ports;
}

interface PodAffinityTermSpec {
  topologyKey: string;
  labelSelector?: LabelSelector;
  namespaces?: string[];
  namespaceSelector?: LabelSelector;
  matchLabelKeys?: string[];
  mismatchLabelKeys?: string[];
}

/**
 * A term's selector with matchLabelKeys (`key in (the pod's value)`) and mismatchLabelKeys
 * (`key notin (the pod's value)`) merged in, as the API server merges them at pod creation.
 */
function termSelector(term: PodAffinityTermSpec, labels: Record<string, string>, path: string): Selector {
  const selector = fromLabelSelector(term.labelSelector, `${path}.labelSelector`);
  const extra = [
    ...(term.matchLabelKeys ?? []).filter((k) => k in labels).map((key) => ({ key, operator: 'in' as const, values: [labels[key]] })),
    ...(term.mismatchLabelKeys ?? []).filter((k) => k in labels).map((key) => ({ key, operator: 'notin' as const, values: [labels[key]] })),
  ];
  if (extra.length === 0 || !selector.selectsAnything) return selector;
  return Selector.of([...selector.requirements, ...extra]);
}

function affinityTerm(term: PodAffinityTermSpec, weight: number, pod: { namespace: string; labels: Record<string, string> }, path: string): AffinityTerm {
  // No namespaces and no namespaceSelector means the pod's own namespace.
  const namespaces = new Set(term.namespaces ?? []);
  if (namespaces.size === 0 && term.namespaceSelector === undefined) namespaces.add(pod.namespace);
  return {
    selector: termSelector(term, pod.labels, path),
    namespaces,
    namespaceSelector: term.namespaceSelector === undefined ? undefined : fromLabelSelector(term.namespaceSelector, `${path}.namespaceSelector`),
    topologyKey: term.topologyKey,
    weight,
  };
}

function spreadConstraints(spec: PodSpec, labels: Record<string, string>): SpreadConstraint[] {
  return (spec.topologySpreadConstraints ?? []).map((c, i) => {
    let selector = fromLabelSelector(c.labelSelector, `spec.topologySpreadConstraints[${i}].labelSelector`);
    const keys = (c.matchLabelKeys ?? []).filter((k) => k in labels);
    if (keys.length > 0 && selector.selectsAnything) {
      selector = Selector.of([...selector.requirements, ...keys.map((key) => ({ key, operator: '=' as const, values: [labels[key]] }))]);
    }
    return {
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      whenUnsatisfiable: c.whenUnsatisfiable,
      group: { selector },
      minDomains: c.minDomains ?? 1,
      honorNodeAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
      honorTaints: (c.nodeTaintsPolicy ?? 'Ignore') === 'Honor',
    };
  });
}

/** Compiles a pod. A quantity or selector that does not parse is Invalid, naming the pod. */
export function podInfo(pod: Pod): PodInfo {
  const namespace = pod.metadata.namespace ?? 'default';
  const name = pod.metadata.name ?? '';
  try {
    return compile(pod, namespace, name);
  } catch (e) {
    if (e instanceof QuantityError || e instanceof Invalid) throw new Invalid(`pod ${namespace}/${name}: ${e.message}`, e instanceof Invalid ? e.details : {});
    throw e;
  }
}

function compile(pod: Pod, namespace: string, name: string): PodInfo {
  const spec: PodSpec = pod.spec ?? { containers: [] };
  const labels = pod.metadata.labels ?? {};
  const affinity = spec.affinity ?? {};
  const self = { namespace, labels };
  const terms = (list: PodAffinityTermSpec[] | undefined, path: string) => (list ?? []).map((t, i) => affinityTerm(t, 1, self, `${path}[${i}]`));
  const weighted = (list: Array<{ weight: number; podAffinityTerm: PodAffinityTermSpec }> | undefined, path: string) =>
    (list ?? []).map((t, i) => affinityTerm(t.podAffinityTerm, t.weight, self, `${path}[${i}].podAffinityTerm`));
  const podAffinity = affinity.podAffinity ?? {};
  const podAntiAffinity = affinity.podAntiAffinity ?? {};
  const base = 'spec.affinity';
  return {
    key: podKey(pod),
    namespace,
    name,
    labels,
    owner: pod.metadata.ownerReferences?.find((o) => o.controller)?.uid,
    terminating: pod.metadata.deletionTimestamp !== undefined,
    requests: requestsOf(spec),
    hostPorts: hostPortsOf(spec),
    tolerations: spec.tolerations ?? [],
    nodeSelector: Object.entries(spec.nodeSelector ?? {}),
    requiredNodeTerms: affinity.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms,
    preferredNodeTerms: (affinity.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((p) => ({ weight: p.weight, term: p.preference })),
    requiredAffinity: terms(podAffinity.requiredDuringSchedulingIgnoredDuringExecution, `${base}.podAffinity.requiredDuringSchedulingIgnoredDuringExecution`),
    requiredAntiAffinity: terms(podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution, `${base}.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution`),
    preferredAffinity: weighted(podAffinity.preferredDuringSchedulingIgnoredDuringExecution, `${base}.podAffinity.preferredDuringSchedulingIgnoredDuringExecution`),
    preferredAntiAffinity: weighted(podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution, `${base}.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution`),
    spreadConstraints: spreadConstraints(spec, labels),
    pod,
  };
}

/** Whether `pod` is one of the pods `term` is about, given the labels of the pod's namespace. */
export function termMatches(term: AffinityTerm, pod: PodInfo, namespaceLabels: Readonly<Record<string, string>>): boolean {
  const inNamespace = term.namespaces.has(pod.namespace) || (term.namespaceSelector?.matches(namespaceLabels) ?? false);
  return inNamespace && term.selector.matches(pod.labels);
}
