import type { Pod, Service } from '../../src/api/types';
import { desiredSlices } from './slices';

const service = (ports: NonNullable<Service['spec']>['ports']): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports } });

function pod(name: string, ip: string, options: { ready?: boolean; terminating?: boolean; phase?: string; restartPolicy?: string; port?: number; node?: string } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: { app: 'web' }, ...(options.terminating ? { deletionTimestamp: '2030-01-01T00:00:00Z' } : {}) },
    spec: { nodeName: options.node ?? 'n1', restartPolicy: options.restartPolicy as never, containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: options.port ?? 8080 }] }] },
    status: { phase: (options.phase ?? 'Running') as never, podIP: ip, conditions: [{ type: 'Ready', status: options.ready === false ? 'False' : 'True' }] },
  };
}

describe('desiredSlices', () => {
  it('puts each pod in as an endpoint with its conditions, node and pod reference', () => {
    const [slice] = desiredSlices(service([{ name: 'http', port: 80, targetPort: 'http' }]), [pod('a', '10.0.0.1'), pod('b', '10.0.0.2', { ready: false }), pod('c', '10.0.0.3', { terminating: true })]);
    expect(slice.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(slice.endpoints).toEqual([
      { addresses: ['10.0.0.1'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' } },
      { addresses: ['10.0.0.2'], conditions: { ready: false, serving: false, terminating: false }, nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'b', uid: 'uid-b' } },
      { addresses: ['10.0.0.3'], conditions: { ready: false, serving: true, terminating: true }, nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'c', uid: 'uid-c' } },
    ]);
  });

  it.each([
    ['a pod without an IP', pod('x', '')],
    ['a finished pod that will not restart', pod('x', '10.0.0.9', { phase: 'Succeeded', restartPolicy: 'OnFailure' })],
  ])('leaves out %s', (_, left) => {
    const slices = desiredSlices(service([{ port: 80, targetPort: 8080 }]), [pod('a', '10.0.0.1'), left]);
    expect(slices.flatMap((s) => s.endpoints.map((e) => e.addresses[0]))).toEqual(['10.0.0.1']);
  });

  it('separates pods whose named target port resolves to different numbers, and unnamed service ports are named ""', () => {
    const slices = desiredSlices(service([{ port: 80, targetPort: 'http' }]), [pod('a', '10.0.0.1', { port: 8080 }), pod('b', '10.0.0.2', { port: 9090 })]);
    expect(slices.map((s) => [s.ports, s.endpoints.map((e) => e.targetRef!.name)])).toEqual([
      [[{ name: '', port: 8080, protocol: 'TCP' }], ['a']],
      [[{ name: '', port: 9090, protocol: 'TCP' }], ['b']],
    ]);
  });

  it('splits a port group past the per-slice maximum', () => {
    const pods = Array.from({ length: 5 }, (_, i) => pod(`p${i}`, `10.0.0.${i + 1}`));
    expect(desiredSlices(service([{ port: 80, targetPort: 8080 }]), pods, 2).map((s) => s.endpoints.length)).toEqual([2, 2, 1]);
  });

  it('gives a Service without endpoints one empty placeholder slice', () => {
    expect(desiredSlices(service([{ port: 80 }]), [])).toEqual([{ ports: [], endpoints: [] }]);
  });
});
