import type { Obj } from '../../api/object';
import type { Pod } from '../../api/types';
import { podPrinter, summarizePod } from './pod-printer';

const now = Date.parse('2024-05-01T12:00:00Z');
const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();

type Status = NonNullable<Pod['status']>;
type ContainerStatus = NonNullable<Status['containerStatuses']>[number];

const running = (name: string, ready = true): ContainerStatus => ({ name, ready, restartCount: 0, image: 'busybox', imageID: '', state: { running: { startedAt: ago(600) } } });
const waiting = (name: string, reason: string, restartCount = 0): ContainerStatus => ({ name, ready: false, restartCount, image: 'busybox', imageID: '', state: { waiting: { reason } } });
const terminated = (name: string, exitCode: number, reason?: string, signal?: number): ContainerStatus => ({
  name,
  ready: false,
  restartCount: 0,
  image: 'busybox',
  imageID: '',
  state: { terminated: { exitCode, ...(reason ? { reason } : {}), ...(signal ? { signal } : {}) } },
});

function pod(options: { containers?: string[]; init?: Array<{ name: string; sidecar?: boolean }>; status?: Status; deleting?: boolean; gates?: string[] }): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web',
      namespace: 'default',
      creationTimestamp: ago(3600),
      ...(options.deleting ? { deletionTimestamp: ago(5) } : {}),
    },
    spec: {
      containers: (options.containers ?? ['main']).map((name) => ({ name, image: 'busybox' })),
      ...(options.init ? { initContainers: options.init.map((c) => ({ name: c.name, image: 'busybox', ...(c.sidecar ? { restartPolicy: 'Always' as const } : {}) })) } : {}),
      ...(options.gates ? { readinessGates: options.gates.map((conditionType) => ({ conditionType })) } : {}),
    },
    status: options.status ?? {},
  } as Pod;
}

describe('pod STATUS, READY and RESTARTS', () => {
  const cases: Array<[string, Pod, string, string]> = [
    ['a running, ready pod', pod({ status: { phase: 'Running', containerStatuses: [running('main')] } }), 'Running', '1/1'],
    ['a pod nobody has reported on', pod({ containers: ['a', 'b'], status: { phase: 'Pending' } }), 'Pending', '0/2'],
    ['a container being created', pod({ status: { phase: 'Pending', containerStatuses: [waiting('main', 'ContainerCreating')] } }), 'ContainerCreating', '0/1'],
    ['an image that cannot be pulled', pod({ status: { phase: 'Pending', containerStatuses: [waiting('main', 'ErrImagePull')] } }), 'ErrImagePull', '0/1'],
    ['an image pull backing off', pod({ status: { phase: 'Pending', containerStatuses: [waiting('main', 'ImagePullBackOff')] } }), 'ImagePullBackOff', '0/1'],
    ['a crash looping container', pod({ containers: ['a', 'b'], status: { phase: 'Running', containerStatuses: [running('a'), waiting('b', 'CrashLoopBackOff', 3)] } }), 'CrashLoopBackOff', '1/2'],
    ['a pod that completed', pod({ status: { phase: 'Succeeded', containerStatuses: [terminated('main', 0, 'Completed')] } }), 'Completed', '0/1'],
    ['a container that failed', pod({ status: { phase: 'Failed', containerStatuses: [terminated('main', 1, 'Error')] } }), 'Error', '0/1'],
    ['a container killed for memory', pod({ status: { phase: 'Failed', containerStatuses: [terminated('main', 137, 'OOMKilled')] } }), 'OOMKilled', '0/1'],
    ['a termination without a reason', pod({ status: { phase: 'Failed', containerStatuses: [terminated('main', 2)] } }), 'ExitCode:2', '0/1'],
    ['a termination by signal', pod({ status: { phase: 'Failed', containerStatuses: [terminated('main', 137, undefined, 9)] } }), 'Signal:9', '0/1'],
    ['a first init container running', pod({ init: [{ name: 'setup' }], status: { phase: 'Pending', initContainerStatuses: [running('setup', false)], containerStatuses: [waiting('main', 'PodInitializing')] } }), 'Init:0/1', '0/1'],
    [
      'the second of two init containers running',
      pod({ init: [{ name: 'one' }, { name: 'two' }], status: { phase: 'Pending', initContainerStatuses: [terminated('one', 0, 'Completed'), running('two', false)] } }),
      'Init:1/2',
      '0/1',
    ],
    ['an init container crash looping', pod({ init: [{ name: 'setup' }], status: { phase: 'Pending', initContainerStatuses: [waiting('setup', 'CrashLoopBackOff', 4)] } }), 'Init:CrashLoopBackOff', '0/1'],
    ['an init container that failed', pod({ init: [{ name: 'setup' }], status: { phase: 'Pending', initContainerStatuses: [terminated('setup', 1, 'Error')] } }), 'Init:Error', '0/1'],
    ['an init container that failed without a reason', pod({ init: [{ name: 'setup' }], status: { phase: 'Pending', initContainerStatuses: [terminated('setup', 3)] } }), 'Init:ExitCode:3', '0/1'],
    [
      'a started sidecar counted among the ready containers',
      pod({ init: [{ name: 'proxy', sidecar: true }], status: { phase: 'Running', initContainerStatuses: [{ ...running('proxy'), started: true }], containerStatuses: [running('main')] } }),
      'Running',
      '2/2',
    ],
    ['a running pod being deleted', pod({ deleting: true, status: { phase: 'Running', containerStatuses: [running('main')] } }), 'Terminating', '1/1'],
    ['a completed pod being deleted', pod({ deleting: true, status: { phase: 'Succeeded', containerStatuses: [terminated('main', 0, 'Completed')] } }), 'Completed', '0/1'],
    ['a pod of a lost node being deleted', pod({ deleting: true, status: { phase: 'Running', reason: 'NodeLost', containerStatuses: [running('main')] } }), 'Unknown', '1/1'],
    ['a pod evicted', pod({ status: { phase: 'Failed', reason: 'Evicted' } }), 'Evicted', '0/1'],
    ['a pod waiting on scheduling gates', pod({ status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] } }), 'SchedulingGated', '0/1'],
    [
      'a completed container beside a running one, pod ready',
      pod({ containers: ['a', 'b'], status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [running('a'), terminated('b', 0, 'Completed')] } }),
      'Running',
      '1/2',
    ],
    [
      'a completed container beside a running one, pod not ready',
      pod({ containers: ['a', 'b'], status: { phase: 'Running', containerStatuses: [running('a'), terminated('b', 0, 'Completed')] } }),
      'NotReady',
      '1/2',
    ],
  ];

  it.each(cases)('%s', (_name, p, status, ready) => {
    const cells = podPrinter.cells(p as unknown as Obj, now);
    expect(cells[2]).toBe(status);
    expect(cells[1]).toBe(ready);
  });

  it('says when the last restart was', () => {
    const crashing = { ...waiting('main', 'CrashLoopBackOff', 5), lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(300) } } };
    const p = pod({ status: { phase: 'Running', containerStatuses: [crashing] } });
    expect(podPrinter.cells(p as unknown as Obj, now)[3]).toBe('5 (5m ago)');
  });

  it('prints a bare count when no restart time is known, and 0 without restarts', () => {
    expect(podPrinter.cells(pod({ status: { phase: 'Running', containerStatuses: [waiting('main', 'CrashLoopBackOff', 2)] } }) as unknown as Obj, now)[3]).toBe('2');
    expect(podPrinter.cells(pod({ status: { phase: 'Running', containerStatuses: [running('main')] } }) as unknown as Obj, now)[3]).toBe('0');
  });

  it('counts init container restarts only while the pod initializes', () => {
    const initRestarts = { ...waiting('setup', 'CrashLoopBackOff', 4), lastState: { terminated: { exitCode: 1, finishedAt: ago(60) } } };
    const initializing = pod({ init: [{ name: 'setup' }], status: { phase: 'Pending', initContainerStatuses: [initRestarts] } });
    expect(summarizePod(initializing)).toMatchObject({ status: 'Init:CrashLoopBackOff', restarts: 4, lastRestart: ago(60) });
    const done = { ...terminated('setup', 0, 'Completed'), restartCount: 4 };
    const initialized = pod({ init: [{ name: 'setup' }], status: { phase: 'Running', initContainerStatuses: [done], containerStatuses: [running('main')] } });
    expect(summarizePod(initialized)).toMatchObject({ status: 'Running', restarts: 0 });
  });

  it('prints age, IP, node, nominated node and readiness gates', () => {
    const p = pod({
      gates: ['example.com/lb', 'example.com/dns'],
      status: { phase: 'Running', podIP: '10.0.0.7', podIPs: [{ ip: '10.0.0.7' }], nominatedNodeName: 'n2', conditions: [{ type: 'example.com/lb', status: 'True' }], containerStatuses: [running('main')] },
    });
    (p.spec as { nodeName?: string }).nodeName = 'n1';
    expect(podPrinter.cells(p as unknown as Obj, now)).toEqual(['web', '1/1', 'Running', '0', '60m', '10.0.0.7', 'n1', 'n2', '1/2']);
    expect(podPrinter.cells(pod({ status: { phase: 'Pending' } }) as unknown as Obj, now).slice(5)).toEqual(['<none>', '<none>', '<none>', '<none>']);
    expect(podPrinter.cells(pod({ status: { phase: 'Running', podIP: '10.0.0.8' } }) as unknown as Obj, now)[5]).toBe('10.0.0.8');
  });

  it('declares upstream columns, the wide ones at priority 1', () => {
    expect(podPrinter.columns.map((c) => [c.name, c.priority])).toEqual([
      ['Name', 0],
      ['Ready', 0],
      ['Status', 0],
      ['Restarts', 0],
      ['Age', 0],
      ['IP', 1],
      ['Node', 1],
      ['Nominated Node', 1],
      ['Readiness Gates', 1],
    ]);
  });
});
