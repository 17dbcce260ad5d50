import { Invalid } from '../../src/api/errors';
import { parseLabelSelector } from '../../src/api/selector';
import type { Node, Pod } from '../../src/api/types';
import { node, pod } from './fixtures';
import { place } from './place';
import { Snapshot } from './snapshot';

/** A small deterministic generator, so a failing sequence can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('incremental updates', () => {
  const nodeNames = ['n1', 'n2', 'n3', 'n4', 'n5'];
  // n6 and n7 never get a Node: pods may name a node the snapshot has not seen.
  const podNodes = [...nodeNames, 'n6', 'n7'];
  const podNames = Array.from({ length: 25 }, (_, i) => `p${i}`);

  function randomNode(next: () => number, name: string): Node {
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
    return node(name, {
      cpu: pick(['2', '4', '8']),
      memory: pick(['4Gi', '16Gi']),
      pods: pick(['3', '110']),
      extended: next() < 0.3 ? { 'nvidia.com/gpu': '2' } : {},
      labels: next() < 0.5 ? { 'topology.kubernetes.io/zone': pick(['a', 'b']) } : {},
      taints: next() < 0.3 ? [{ key: 'dedicated', value: pick(['gpu', 'db']), effect: pick(['NoSchedule', 'PreferNoSchedule'] as const) }] : undefined,
      unschedulable: next() < 0.2,
      ready: pick(['True', 'True', 'False', 'Unknown', null] as const),
    });
  }

  function randomPod(next: () => number, name: string): Pod {
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
    const app = pick(['web', 'db', 'cache']);
    return pod(name, {
      namespace: pick(['default', 'team']),
      cpu: pick(['100m', '1', undefined]),
      memory: pick(['128Mi', '1Gi', undefined]),
      extended: next() < 0.2 ? { 'nvidia.com/gpu': '1' } : {},
      labels: next() < 0.8 ? { app, tier: pick(['front', 'back']) } : {},
      owner: next() < 0.5 ? `rs-${app}` : undefined,
      nodeName: next() < 0.85 ? pick(podNodes) : undefined,
      hostPorts: next() < 0.2 ? [{ port: pick([80, 443]), protocol: pick(['TCP', 'UDP'] as const) }] : undefined,
      affinity:
        next() < 0.2
          ? { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app } } }] } }
          : undefined,
      phase: pick(['Running', 'Running', 'Pending', 'Succeeded', 'Failed'] as const),
      terminating: next() < 0.1,
    });
  }

  /** What the snapshot should hold after the operations: the cluster an informer would list now. */
  interface Model {
    nodes: Map<string, Node>;
    pods: Map<string, { pod: Pod; node: string; assumed: boolean }>;
  }

  function rebuilt(model: Model): Snapshot {
    const snapshot = Snapshot.of([...model.nodes.values()], []);
    for (const { pod: p, node: n, assumed } of model.pods.values()) {
      if (assumed) snapshot.assume(p, n);
      else snapshot.addPod(p);
    }
    return snapshot;
  }

  function apply(snapshot: Snapshot, model: Model, next: () => number): string {
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
    const roll = next();
    if (roll < 0.15) {
      const n = randomNode(next, pick(nodeNames));
      snapshot.setNode(n);
      model.nodes.set(n.metadata.name!, n);
      return `setNode ${n.metadata.name}`;
    }
    if (roll < 0.22) {
      const name = pick(nodeNames);
      snapshot.removeNode(name);
      model.nodes.delete(name);
      return `removeNode ${name}`;
    }
    const p = randomPod(next, pick(podNames));
    const key = p.metadata.uid!;
    if (roll < 0.6) {
      snapshot.addPod(p);
      const phase = p.status?.phase;
      if (p.spec!.nodeName && phase !== 'Succeeded' && phase !== 'Failed') model.pods.set(key, { pod: p, node: p.spec!.nodeName, assumed: false });
      else model.pods.delete(key);
      return `addPod ${key} on ${p.spec!.nodeName} (${phase})`;
    }
    if (roll < 0.75) {
      snapshot.removePod(p);
      model.pods.delete(key);
      return `removePod ${key}`;
    }
    if (roll < 0.9) {
      const target = pick(podNodes);
      snapshot.assume(p, target);
      model.pods.set(key, { pod: p, node: target, assumed: true });
      return `assume ${key} on ${target}`;
    }
    const forgotten = snapshot.forget(p);
    expect(forgotten).toBe(model.pods.get(key)?.assumed === true);
    if (forgotten) model.pods.delete(key);
    return `forget ${key}`;
  }

  it('holds exactly what a snapshot rebuilt from scratch holds, after any sequence of events', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const next = random(seed);
      const snapshot = new Snapshot();
      const model: Model = { nodes: new Map(), pods: new Map() };
      const history: string[] = [];
      for (let step = 0; step < 60; step++) {
        history.push(apply(snapshot, model, next));
        if (step % 20 === 19 || step === 59) {
          const expected = rebuilt(model).summary();
          try {
            expect(snapshot.summary()).toEqual(expected);
          } catch (e) {
            throw new Error(`seed ${seed} after:\n  ${history.join('\n  ')}\n${(e as Error).message}`);
          }
        }
      }
    }
  });

  it('gives the same decisions as a rebuilt snapshot', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const next = random(1000 + seed);
      const snapshot = new Snapshot();
      const model: Model = { nodes: new Map(), pods: new Map() };
      for (let step = 0; step < 80; step++) apply(snapshot, model, next);
      const fresh = rebuilt(model);
      for (const name of ['q1', 'q2', 'q3']) {
        const incoming = randomPod(next, name);
        delete incoming.spec!.nodeName;
        expect(place(incoming, snapshot)).toEqual(place(incoming, fresh));
      }
    }
  });
});

describe('Snapshot', () => {
  it('holds the pods of a node it has not seen, and places nothing there until the Node arrives', () => {
    const snapshot = new Snapshot();
    snapshot.addPod(pod('early', { nodeName: 'late', cpu: '3' }));
    expect(snapshot.nodes).toEqual([]);
    expect(snapshot.node('late')).toBeUndefined();
    snapshot.setNode(node('late', { cpu: '4' }));
    expect(snapshot.node('late')).toMatchObject({ requestedCpu: 3000, allocatableCpu: 4000 });
    expect(place(pod('p', { cpu: '2' }), snapshot)).toMatchObject({ unschedulable: { message: '0/1 nodes are available: 1 Insufficient cpu.' } });
  });

  it('keeps a removed node’s pods counted, so a node that comes back is still full', () => {
    const snapshot = Snapshot.of([node('n', { cpu: '4' })], [pod('a', { nodeName: 'n', cpu: '3' })]);
    snapshot.removeNode('n');
    expect(snapshot.nodes).toEqual([]);
    snapshot.setNode(node('n', { cpu: '4' }));
    expect(snapshot.node('n')!.requestedCpu).toBe(3000);
  });

  it('keeps nodes sorted by name whatever the order they arrive in', () => {
    const snapshot = Snapshot.of(['c', 'a', 'd', 'b'].map((n) => node(n)), []);
    snapshot.removeNode('b');
    snapshot.setNode(node('ab'));
    expect(snapshot.nodes.map((n) => n.name)).toEqual(['a', 'ab', 'c', 'd']);
  });

  it('counts an assumed pod until the informer confirms it, and forgets it when its bind fails', () => {
    const snapshot = Snapshot.of([node('n', { cpu: '4' })], []);
    const p = pod('p', { cpu: '1' });
    snapshot.assume(p, 'n');
    expect(snapshot.pod(p.metadata.uid!)).toMatchObject({ assumed: true });
    expect(snapshot.node('n')!.requestedCpu).toBe(1000);
    expect(snapshot.forget(p)).toBe(true);
    expect(snapshot.node('n')!.requestedCpu).toBe(0);
    snapshot.assume(p, 'n');
    snapshot.addPod({ ...p, spec: { ...p.spec!, nodeName: 'n' } });
    expect(snapshot.pod(p.metadata.uid!)).toMatchObject({ assumed: false });
    expect(snapshot.forget(p)).toBe(false);
    expect(snapshot.node('n')!.requestedCpu).toBe(1000);
  });

  it('moves a pod’s requests when an update names another node, and drops them when it finishes', () => {
    const snapshot = Snapshot.of([node('a'), node('b')], [pod('p', { nodeName: 'a', cpu: '1' })]);
    snapshot.addPod(pod('p', { nodeName: 'b', cpu: '1' }));
    expect([snapshot.node('a')!.requestedCpu, snapshot.node('b')!.requestedCpu]).toEqual([0, 1000]);
    snapshot.addPod(pod('p', { nodeName: 'b', cpu: '1', phase: 'Succeeded' }));
    expect(snapshot.node('b')!.requestedCpu).toBe(0);
    expect(snapshot.podCount).toBe(0);
  });

  it('finds selector candidates through the label index, not by scanning every pod', () => {
    const pods = Array.from({ length: 100 }, (_, i) => pod(`p${i}`, { nodeName: 'n', labels: { app: i < 3 ? 'web' : `other-${i}` } }));
    const snapshot = Snapshot.of([node('n')], pods);
    expect([...snapshot.candidates(parseLabelSelector('app=web'))]).toHaveLength(3);
    expect([...snapshot.candidates(parseLabelSelector('app in (web,other-50)'))]).toHaveLength(4);
    expect([...snapshot.candidates(parseLabelSelector('app'))]).toHaveLength(100);
  });

  it('rejects a node with a quantity that does not parse, naming the node and the field, and changes nothing', () => {
    const snapshot = Snapshot.of([node('n', { cpu: '4' })], []);
    const bad = node('n', { cpu: 'lots' });
    expect(() => snapshot.setNode(bad)).toThrow(Invalid);
    expect(() => snapshot.setNode(bad)).toThrow(/^node n: status\.allocatable\.cpu: quantities must match/);
    expect(snapshot.node('n')!.allocatableCpu).toBe(4000);
  });

  it('rejects a pod with a quantity that does not parse, naming the pod', () => {
    expect(() => Snapshot.of([node('n')], [pod('p', { nodeName: 'n', cpu: 'much' })])).toThrow(/^pod default\/p: quantities must match/);
  });
});

describe('pods as informers may deliver them', () => {
  it('takes a pod without containers or spec as asking nothing', () => {
    const bare: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bare', namespace: 'default', uid: 'bare' } };
    const snapshot = Snapshot.of([node('n')], []);
    snapshot.assume(bare, 'n');
    expect(snapshot.node('n')).toMatchObject({ requestedCpu: 0, requestedMemory: 0 });
    expect(place(bare, snapshot)).toMatchObject({ bound: 'n' });
  });

  it('keeps a label column by node slot current as nodes change, leave, and give their slots to others', () => {
    const zone = 'topology.kubernetes.io/zone';
    const snapshot = Snapshot.of([node('a', { labels: { [zone]: 'z1' } }), node('b')], []);
    const valueOf = (name: string) => snapshot.labelColumn(zone)[snapshot.node(name)!.slot];
    expect(valueOf('a')).toBe('z1');
    expect(valueOf('b')).toBeUndefined();
    snapshot.setNode(node('b', { labels: { [zone]: 'z2' } }));
    expect(valueOf('b')).toBe('z2');
    const slotOfB = snapshot.node('b')!.slot;
    snapshot.removeNode('b');
    expect(snapshot.labelColumn(zone)[slotOfB]).toBeUndefined();
    snapshot.setNode(node('c', { labels: { [zone]: 'z3' } }));
    expect(snapshot.node('c')!.slot).toBe(slotOfB);
    expect(valueOf('c')).toBe('z3');
    expect(valueOf('a')).toBe('z1');
  });
});
