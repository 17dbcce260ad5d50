import type { Affinity, Namespace, Node, Pod } from '../../src/api/types';
import { node, pod } from './fixtures';
import { interPodAffinityFilter, interPodAffinityScore } from './inter-pod-affinity';
import { podInfo } from './pod-info';
import { Snapshot } from './snapshot';

const antiReason = "node(s) didn't match pod anti-affinity rules";
const existingReason = "node(s) didn't satisfy existing pods anti-affinity rules";
const affinityReason = "node(s) didn't match pod affinity rules";

/** Each node's verdict for `incoming`: its reason, or 'ok'. */
function verdicts(incoming: Pod, nodes: Node[], pods: Pod[], namespaces: Namespace[] = []): Record<string, string> {
  const snapshot = Snapshot.of(nodes, pods, namespaces);
  const check = interPodAffinityFilter.prepare({ pod: podInfo(incoming), snapshot });
  return Object.fromEntries(snapshot.nodes.map((n) => [n.name, (check?.(n) as string | undefined) ?? 'ok']));
}

const zoned = [node('a1', { labels: { zone: 'a' } }), node('a2', { labels: { zone: 'a' } }), node('b1', { labels: { zone: 'b' } }), node('x')];

const required = (kind: 'podAffinity' | 'podAntiAffinity', topologyKey: string, matchLabels: Record<string, string>, extra: object = {}): Affinity => ({
  [kind]: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey, labelSelector: { matchLabels }, ...extra }] },
});

describe('required pod anti-affinity', () => {
  it('keeps a replica off every node that already runs one (hostname)', () => {
    const web = (name: string, nodeName?: string) => pod(name, { labels: { app: 'web' }, nodeName, affinity: required('podAntiAffinity', 'kubernetes.io/hostname', { app: 'web' }) });
    expect(verdicts(web('new'), zoned, [web('w1', 'a1'), web('w2', 'b1')])).toEqual({ a1: antiReason, a2: 'ok', b1: antiReason, x: 'ok' });
  });

  it('keeps the pod out of the whole zone of a matching pod', () => {
    const incoming = pod('new', { affinity: required('podAntiAffinity', 'zone', { app: 'db' }) });
    expect(verdicts(incoming, zoned, [pod('db', { labels: { app: 'db' }, nodeName: 'a2' })])).toEqual({ a1: antiReason, a2: antiReason, b1: 'ok', x: 'ok' });
  });

  it("counts only pods in the pod's own namespace unless the term names others", () => {
    const elsewhere = pod('db', { namespace: 'other', labels: { app: 'db' }, nodeName: 'a1' });
    const own = pod('new', { affinity: required('podAntiAffinity', 'kubernetes.io/hostname', { app: 'db' }) });
    expect(verdicts(own, zoned, [elsewhere]).a1).toBe('ok');
    const named = pod('new', { affinity: required('podAntiAffinity', 'kubernetes.io/hostname', { app: 'db' }, { namespaces: ['other'] }) });
    expect(verdicts(named, zoned, [elsewhere]).a1).toBe(antiReason);
  });

  it('counts pods in every namespace for an empty namespaceSelector, and by namespace labels otherwise', () => {
    const elsewhere = pod('db', { namespace: 'other', labels: { app: 'db' }, nodeName: 'a1' });
    const all = pod('new', { affinity: required('podAntiAffinity', 'kubernetes.io/hostname', { app: 'db' }, { namespaceSelector: {} }) });
    expect(verdicts(all, zoned, [elsewhere]).a1).toBe(antiReason);
    const team = pod('new', { affinity: required('podAntiAffinity', 'kubernetes.io/hostname', { app: 'db' }, { namespaceSelector: { matchLabels: { team: 'data' } } }) });
    const namespace = (labels: Record<string, string>): Namespace => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other', labels } });
    expect(verdicts(team, zoned, [elsewhere], [namespace({ team: 'data' })]).a1).toBe(antiReason);
    expect(verdicts(team, zoned, [elsewhere], [namespace({ team: 'web' })]).a1).toBe('ok');
  });

  it('narrows the selector by matchLabelKeys and mismatchLabelKeys taken from the pod', () => {
    const term = (keys: object) => required('podAntiAffinity', 'kubernetes.io/hostname', { app: 'web' }, keys);
    const old = pod('old', { labels: { app: 'web', hash: 'v1' }, nodeName: 'a1' });
    const same = pod('same', { labels: { app: 'web', hash: 'v2' }, nodeName: 'b1' });
    const incoming = (keys: object) => pod('new', { labels: { app: 'web', hash: 'v2' }, affinity: term(keys) });
    expect(verdicts(incoming({ matchLabelKeys: ['hash'] }), zoned, [old, same])).toMatchObject({ a1: 'ok', b1: antiReason });
    expect(verdicts(incoming({ mismatchLabelKeys: ['hash'] }), zoned, [old, same])).toMatchObject({ a1: antiReason, b1: 'ok' });
  });

  it("refuses the domains of existing pods whose own anti-affinity selects the incoming pod", () => {
    const guard = pod('guard', { nodeName: 'a1', affinity: required('podAntiAffinity', 'zone', { app: 'noisy' }) });
    expect(verdicts(pod('new', { labels: { app: 'noisy' } }), zoned, [guard])).toEqual({ a1: existingReason, a2: existingReason, b1: 'ok', x: 'ok' });
    expect(verdicts(pod('calm', { labels: { app: 'calm' } }), zoned, [guard])).toEqual({ a1: 'ok', a2: 'ok', b1: 'ok', x: 'ok' });
  });

  it('checks existing anti-affinity terms that select by expression, not only by label value', () => {
    const guard = pod('guard', { nodeName: 'b1' });
    guard.spec!.affinity = {
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] } }] },
    };
    expect(verdicts(pod('new', { labels: { tier: 'batch' } }), zoned, [guard]).b1).toBe(existingReason);
  });
});

describe('required pod affinity', () => {
  const nearCache = pod('new', { labels: { app: 'api' }, affinity: required('podAffinity', 'zone', { app: 'cache' }) });

  it('places the pod only in a zone that runs a matching pod, never on a node without the zone label', () => {
    expect(verdicts(nearCache, zoned, [pod('cache', { labels: { app: 'cache' }, nodeName: 'a1' })])).toEqual({
      a1: 'ok',
      a2: 'ok',
      b1: affinityReason,
      x: affinityReason,
    });
  });

  it('lets the first pod of a group that wants to be together go anywhere its topology key exists', () => {
    const first = pod('first', { labels: { app: 'cache' }, affinity: required('podAffinity', 'zone', { app: 'cache' }) });
    expect(verdicts(first, zoned, [])).toEqual({ a1: 'ok', a2: 'ok', b1: 'ok', x: affinityReason });
  });

  it('keeps a pod pending when nothing matches and it does not match its own term', () => {
    expect(verdicts(nearCache, zoned, [])).toEqual({ a1: affinityReason, a2: affinityReason, b1: affinityReason, x: affinityReason });
  });
});

describe('preferred pod affinity (score)', () => {
  function scores(incoming: Pod, pods: Pod[]): Record<string, number> {
    const snapshot = Snapshot.of(zoned, pods);
    const out = new Float64Array(snapshot.nodes.length);
    const scored = interPodAffinityScore().score({ pod: podInfo(incoming), snapshot }, snapshot.nodes, out);
    return scored ? Object.fromEntries(snapshot.nodes.map((n, i) => [n.name, out[i]])) : {};
  }
  const preferred = (kind: 'podAffinity' | 'podAntiAffinity', weight: number, topologyKey: string, app: string): Affinity => ({
    [kind]: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight, podAffinityTerm: { topologyKey, labelSelector: { matchLabels: { app } } } }] },
  });
  const caches = [pod('c1', { labels: { app: 'cache' }, nodeName: 'a1' }), pod('c2', { labels: { app: 'cache' }, nodeName: 'a2' }), pod('c3', { labels: { app: 'cache' }, nodeName: 'b1' })];

  it('rates nodes by the weight of matching pods in their domain, lowest 0, highest 100', () => {
    expect(scores(pod('p', { affinity: preferred('podAffinity', 10, 'zone', 'cache') }), caches)).toEqual({ a1: 100, a2: 100, b1: 50, x: 0 });
  });

  it('rates a domain down for each pod that anti-affinity prefers to avoid', () => {
    expect(scores(pod('p', { affinity: preferred('podAntiAffinity', 10, 'kubernetes.io/hostname', 'cache') }), caches)).toEqual({ a1: 0, a2: 0, b1: 0, x: 100 });
  });

  it('has nothing to say for a pod without preferred terms', () => {
    expect(scores(pod('p'), caches)).toEqual({});
  });
});
