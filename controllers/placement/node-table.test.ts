import { node, pod } from './fixtures';
import { NodeInfo } from './node-info';
import * as column from './node-table';
import { podInfo } from './pod-info';
import { Snapshot } from './snapshot';

const row = (info: NodeInfo) => Array.from(info.table.rows.subarray(info.slot * column.WIDTH, (info.slot + 1) * column.WIDTH));

/** The row as the NodeInfo's own fields say it should be. */
function expected(info: NodeInfo): number[] {
  const r = new Array<number>(column.WIDTH).fill(0);
  r[column.READINESS] = { True: 0, False: 1, Unknown: 2 }[info.readiness];
  r[column.FLAGS] =
    (info.unschedulable ? column.UNSCHEDULABLE : 0) |
    (info.blockingTaints.length ? column.BLOCKING_TAINTS : 0) |
    (info.preferNoScheduleTaints.length ? column.PREFER_NO_SCHEDULE_TAINTS : 0);
  r[column.FREE_PODS] = info.allocatablePods - info.pods.size;
  r[column.FREE_CPU] = info.allocatableCpu - info.requestedCpu;
  r[column.FREE_MEMORY] = info.allocatableMemory - info.requestedMemory;
  r[column.FREE_STORAGE] = info.allocatableEphemeralStorage - info.requestedEphemeralStorage;
  r[column.ALLOCATABLE_CPU] = info.allocatableCpu;
  r[column.ALLOCATABLE_MEMORY] = info.allocatableMemory;
  r[column.SCORING_CPU] = info.scoringCpu;
  r[column.SCORING_MEMORY] = info.scoringMemory;
  return r;
}

describe('node table', () => {
  it('keeps each node row equal to the node through every change', () => {
    const info = new NodeInfo('n1', new column.NodeTable(1));
    expect(row(info)).toEqual(expected(info));
    info.setNode(node('n1', { cpu: '4', memory: '8Gi', pods: '3', storage: '10Gi', taints: [{ key: 'a', effect: 'NoSchedule' }] }));
    expect(row(info)).toEqual(expected(info));
    expect(row(info)[column.FREE_PODS]).toBe(3);
    expect(row(info)[column.FLAGS]).toBe(column.BLOCKING_TAINTS);
    const a = podInfo(pod('a', { cpu: '500m', memory: '1Gi' }));
    const b = podInfo(pod('b'));
    info.addPod(a);
    info.addPod(b);
    expect(row(info)).toEqual(expected(info));
    expect(row(info)[column.FREE_CPU]).toBe(3500);
    info.removePod(a);
    expect(row(info)).toEqual(expected(info));
    info.setNode(node('n1', { ready: 'Unknown', unschedulable: true, taints: [{ key: 'b', effect: 'PreferNoSchedule' }] }));
    expect(row(info)).toEqual(expected(info));
    expect(row(info)[column.READINESS]).toBe(2);
    info.clearNode();
    expect(row(info)).toEqual(expected(info));
    expect(row(info)[column.FREE_PODS]).toBe(Infinity);
  });

  it('grows without losing rows, and gives a freed slot to the next node, cleared', () => {
    const table = new column.NodeTable(2);
    const nodes = Array.from({ length: 5 }, (_, i) => new NodeInfo(`n${i}`, table));
    nodes.forEach((n, i) => n.setNode(node(n.name, { cpu: String(i + 1) })));
    expect(nodes.map((n) => n.slot)).toEqual([0, 1, 2, 3, 4]);
    expect(nodes.map((n) => row(n)[column.ALLOCATABLE_CPU])).toEqual([1000, 2000, 3000, 4000, 5000]);
    nodes[1].release();
    nodes[1].setNode(node('n1', { cpu: '9' })); // a released node writes nothing
    expect(table.rows[1 * column.WIDTH + column.ALLOCATABLE_CPU]).toBe(0);
    const next = new NodeInfo('n5', table);
    expect(next.slot).toBe(1);
    expect(row(next)).toEqual(expected(next));
  });

  it('is shared by a snapshot’s nodes, and a node entry no longer needed gives its slot back', () => {
    const ghostPod = pod('p', { nodeName: 'ghost' });
    const snapshot = Snapshot.of([node('n1'), node('n2')], [ghostPod]);
    const [n1, n2] = snapshot.nodes;
    expect(n1.table).toBe(snapshot.table);
    expect(n2.table).toBe(snapshot.table);
    expect([n1.slot, n2.slot]).toEqual([0, 1]);
    snapshot.removePod(ghostPod); // the entry the pod's unknown node had (slot 2) goes with it
    snapshot.removeNode('n2');
    expect([new NodeInfo('a', snapshot.table).slot, new NodeInfo('b', snapshot.table).slot, new NodeInfo('c', snapshot.table).slot]).toEqual([1, 2, 3]);
  });
});
