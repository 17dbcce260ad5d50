import type { Node, Pod, TopologySpreadConstraint } from '../../src/api/types';
import { node, pod } from './fixtures';
import { podInfo } from './pod-info';
import { Snapshot } from './snapshot';
import { topologySpreadFilter, topologySpreadScore } from './topology-spread';

const skewReason = "node(s) didn't match pod topology spread constraints";
const labelReason = "node(s) didn't match pod topology spread constraints (missing required label)";

const zone = 'topology.kubernetes.io/zone';
const zones = (...names: string[]) => names.map((n) => node(n, { labels: { [zone]: n.slice(0, 1), ...(n.endsWith('ssd') ? { disktype: 'ssd' } : {}) } }));

function constraint(shape: Partial<TopologySpreadConstraint> = {}): TopologySpreadConstraint {
  return { maxSkew: 1, topologyKey: zone, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } }, ...shape };
}

const web = (name: string, nodeName?: string, extra: object = {}) => pod(name, { labels: { app: 'web' }, nodeName, ...extra });

function verdicts(incoming: Pod, nodes: Node[], pods: Pod[]): Record<string, string> {
  const snapshot = Snapshot.of(nodes, pods);
  const check = topologySpreadFilter.prepare({ pod: podInfo(incoming), snapshot });
  return Object.fromEntries(snapshot.nodes.map((n) => [n.name, (check?.(n) as string | undefined) ?? 'ok']));
}

function scores(incoming: Pod, nodes: Node[], pods: Pod[]): Record<string, number> {
  const snapshot = Snapshot.of(nodes, pods);
  const out = new Float64Array(snapshot.nodes.length);
  const scored = topologySpreadScore().score({ pod: podInfo(incoming), snapshot }, snapshot.nodes, out);
  return scored ? Object.fromEntries(snapshot.nodes.map((n, i) => [n.name, out[i]])) : {};
}

describe('topology spread, DoNotSchedule (filter)', () => {
  const cluster = zones('a1', 'a2', 'b1', 'c1');

  it('refuses the zone that would exceed maxSkew over the emptiest zone', () => {
    const pods = [web('w1', 'a1'), web('w2', 'a2'), web('w3', 'b1'), web('w4', 'c1')];
    expect(verdicts(web('new', undefined, { spread: [constraint()] }), cluster, pods)).toEqual({ a1: skewReason, a2: skewReason, b1: 'ok', c1: 'ok' });
  });

  it('allows any zone while the skew stays within maxSkew', () => {
    const pods = [web('w1', 'a1'), web('w3', 'b1')];
    expect(verdicts(web('new', undefined, { spread: [constraint({ maxSkew: 2 })] }), cluster, pods)).toEqual({ a1: 'ok', a2: 'ok', b1: 'ok', c1: 'ok' });
  });

  it('refuses a node that lacks the topology key', () => {
    expect(verdicts(web('new', undefined, { spread: [constraint()] }), [...cluster, node('bare')], []).bare).toBe(labelReason);
  });

  it('does not add the pod itself when it does not match the selector', () => {
    const pods = [web('w1', 'a1'), web('w3', 'b1'), web('w4', 'c1')];
    const other = pod('other', { labels: { app: 'other' }, spread: [constraint()] });
    expect(verdicts(other, zones('a1', 'b1', 'c1', 'd1'), pods)).toEqual({ a1: 'ok', b1: 'ok', c1: 'ok', d1: 'ok' });
  });

  it('counts the global minimum as 0 while there are fewer domains than minDomains', () => {
    const pods = [web('w1', 'a1'), web('w3', 'b1')];
    const incoming = web('new', undefined, { spread: [constraint({ minDomains: 3 })] });
    expect(verdicts(incoming, zones('a1', 'b1'), pods)).toEqual({ a1: skewReason, b1: skewReason });
    expect(verdicts(web('new', undefined, { spread: [constraint()] }), zones('a1', 'b1'), pods)).toEqual({ a1: 'ok', b1: 'ok' });
  });

  it("honors the pod's node affinity when counting domains, unless nodeAffinityPolicy is Ignore", () => {
    // Zone c has no SSD node: with Honor it is not a domain, so its emptiness does not hold zone a back.
    const cluster2 = zones('a1-ssd', 'b1-ssd', 'c1');
    const pods = [web('w1', 'a1-ssd')];
    const honor = web('new', undefined, { nodeSelector: { disktype: 'ssd' }, spread: [constraint({ maxSkew: 1 })] });
    expect(verdicts(honor, cluster2, [...pods, web('w2', 'b1-ssd')])).toMatchObject({ 'a1-ssd': 'ok', 'b1-ssd': 'ok' });
    const ignore = web('new', undefined, { nodeSelector: { disktype: 'ssd' }, spread: [constraint({ maxSkew: 1, nodeAffinityPolicy: 'Ignore' })] });
    expect(verdicts(ignore, cluster2, [...pods, web('w2', 'b1-ssd')])).toMatchObject({ 'a1-ssd': skewReason, 'b1-ssd': skewReason });
  });

  it('does not count terminating pods or pods of another namespace', () => {
    const pods = [web('w1', 'a1', { terminating: true }), web('w2', 'a2', { namespace: 'other' }), web('w3', 'b1')];
    expect(verdicts(web('new', undefined, { spread: [constraint()] }), cluster, pods)).toEqual({ a1: 'ok', a2: 'ok', b1: skewReason, c1: 'ok' });
  });

  it('takes matchLabelKeys values from the pod: only the same revision counts', () => {
    const pods = [web('old1', 'a1', { labels: { app: 'web', rev: '1' } }), web('old2', 'a2', { labels: { app: 'web', rev: '1' } })];
    const incoming = web('new', undefined, { labels: { app: 'web', rev: '2' }, spread: [constraint({ matchLabelKeys: ['rev'] })] });
    expect(verdicts(incoming, cluster, pods)).toEqual({ a1: 'ok', a2: 'ok', b1: 'ok', c1: 'ok' });
  });
});

describe('topology spread, ScheduleAnyway (score)', () => {
  it('rates the node with the fewest matching pods highest, as upstream weighs and flips the counts', () => {
    const hostname = constraint({ topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' });
    const pods = [web('w1', 'a1'), web('w2', 'a1'), web('w3', 'b1')];
    // Raw: count × log(3 + 2) + 0 → 3.2 → 3, 1.6 → 2, 0; flipped over max 3: 0, 33, 100.
    expect(scores(web('new', undefined, { spread: [hostname] }), zones('a1', 'b1', 'c1'), pods)).toEqual({ a1: 0, b1: 33, c1: 100 });
  });

  it("spreads a controller's pods by default over hostnames and zones", () => {
    const owned = (name: string, nodeName?: string) => pod(name, { owner: 'rs-1', nodeName });
    const pods = [owned('r1', 'a1'), owned('r2', 'a1'), owned('r3', 'c1')];
    // Per node: hostname (maxSkew 3) and zone (maxSkew 5), each count × log(5) + maxSkew − 1:
    // a1: 2 → 12.4 → 12, b1: 0 → 6, c1: 1 → 9.2 → 9; flipped over 12: 50, 100, 75.
    expect(scores(owned('new'), zones('a1', 'b1', 'c1'), pods)).toEqual({ a1: 50, b1: 100, c1: 75 });
    // Without zone labels only the hostname default applies: 5.2 → 5, 2, 3.6 → 4 → 40, 100, 60.
    expect(scores(owned('new'), [node('a1'), node('b1'), node('c1')], pods)).toEqual({ a1: 40, b1: 100, c1: 60 });
  });

  it('scores 0 for a node missing a key of the pod’s own constraints', () => {
    const soft = constraint({ whenUnsatisfiable: 'ScheduleAnyway' });
    expect(scores(web('new', undefined, { spread: [soft] }), [...zones('a1'), node('bare')], [])).toEqual({ a1: 100, bare: 0 });
  });

  it('has nothing to say for a pod with neither constraints nor a controller', () => {
    expect(scores(pod('loner'), zones('a1', 'b1'), [])).toEqual({});
  });
});
