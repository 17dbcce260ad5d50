import type { Pod, Service } from '../../src/api/types';
import { deepFreeze } from '../../src/util/json';
import { endpointSubsets, findPort, podShouldBeInEndpoints } from './subsets';

function pod(name: string, ip: string | undefined, extra: { ready?: boolean; phase?: string; restartPolicy?: string; deleting?: boolean; ports?: Array<{ name: string; containerPort: number; protocol?: string }>; hostname?: string; subdomain?: string } = {}): Pod {
  return deepFreeze({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, ...(extra.deleting ? { deletionTimestamp: '2030-01-01T00:00:00Z' } : {}) },
    spec: {
      nodeName: 'n1',
      restartPolicy: extra.restartPolicy ?? 'Always',
      hostname: extra.hostname,
      subdomain: extra.subdomain,
      containers: [{ name: 'c', image: 'x', ports: extra.ports ?? [{ name: 'http', containerPort: 8080 }] }],
    },
    status: { phase: extra.phase ?? 'Running', podIP: ip, conditions: [{ type: 'Ready', status: extra.ready === false ? 'False' : 'True' }] },
  } as Pod);
}

function service(spec: Service['spec']): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ...spec } };
}

describe('which pods are in', () => {
  it.each([
    ['a running pod', pod('a', '10.0.0.1'), false, true],
    ['a pod without an IP', pod('a', undefined), false, false],
    ['a terminating pod', pod('a', '10.0.0.1', { deleting: true }), false, false],
    ['a terminating pod, publishing unready ones', pod('a', '10.0.0.1', { deleting: true }), true, true],
    ['a succeeded pod that never restarts', pod('a', '10.0.0.1', { phase: 'Succeeded', restartPolicy: 'Never' }), false, false],
    ['a failed pod that never restarts', pod('a', '10.0.0.1', { phase: 'Failed', restartPolicy: 'Never' }), false, false],
    ['a failed pod that restarts on failure', pod('a', '10.0.0.1', { phase: 'Failed', restartPolicy: 'OnFailure' }), false, true],
    ['a succeeded pod that restarts on failure', pod('a', '10.0.0.1', { phase: 'Succeeded', restartPolicy: 'OnFailure' }), false, false],
    ['a failed pod that always restarts', pod('a', '10.0.0.1', { phase: 'Failed' }), false, true],
  ])('%s: %s', (_what, p, includeTerminating, expected) => {
    expect(podShouldBeInEndpoints(p, includeTerminating)).toBe(expected);
  });
});

describe('port resolution', () => {
  const p = pod('a', '10.0.0.1', { ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 5353, protocol: 'UDP' }] });
  it.each([
    [{ port: 80, targetPort: 9000 }, 9000],
    [{ port: 80, targetPort: 'http' }, 8080],
    [{ port: 80, targetPort: '9001' }, 9001],
    [{ port: 80 }, 80],
    [{ port: 53, targetPort: 'dns', protocol: 'UDP' }, 5353],
    [{ port: 53, targetPort: 'dns', protocol: 'TCP' }, undefined],
    [{ port: 80, targetPort: 'missing' }, undefined],
  ])('%j → %s', (servicePort, expected) => {
    expect(findPort(p, servicePort as never)).toBe(expected);
  });
});

describe('subsets', () => {
  it('puts ready pods in addresses and unready ones in notReadyAddresses of one subset, sorted by IP', () => {
    const subsets = endpointSubsets(service({ ports: [{ name: 'http', port: 80, targetPort: 'http' }] }), [
      pod('c', '10.0.0.10'),
      pod('a', '10.0.0.9', { ready: false }),
      pod('b', '10.0.0.2'),
    ]);
    expect(subsets).toEqual([
      {
        addresses: [
          { ip: '10.0.0.2', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'b', uid: 'uid-b' } },
          { ip: '10.0.0.10', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'c', uid: 'uid-c' } },
        ],
        notReadyAddresses: [{ ip: '10.0.0.9', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' } }],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ]);
  });

  it('splits pods that resolve a named port differently, and leaves out pods lacking it', () => {
    const subsets = endpointSubsets(service({ ports: [{ port: 80, targetPort: 'http' }] }), [
      pod('a', '10.0.0.1', { ports: [{ name: 'http', containerPort: 8080 }] }),
      pod('b', '10.0.0.2', { ports: [{ name: 'http', containerPort: 9090 }] }),
      pod('c', '10.0.0.3', { ports: [{ name: 'web', containerPort: 8080 }] }),
      pod('d', '10.0.0.4', { ports: [{ name: 'http', containerPort: 8080 }] }),
    ]);
    expect(subsets.map((s) => [(s.addresses ?? []).map((a) => a.ip), s.ports])).toEqual([
      [['10.0.0.1', '10.0.0.4'], [{ port: 8080, protocol: 'TCP' }]],
      [['10.0.0.2'], [{ port: 9090, protocol: 'TCP' }]],
    ]);
  });

  it('publishes unready pods as ready with publishNotReadyAddresses', () => {
    const subsets = endpointSubsets(service({ publishNotReadyAddresses: true, ports: [{ port: 80, targetPort: 8080 }] }), [pod('a', '10.0.0.1', { ready: false })]);
    expect(subsets[0].addresses?.map((a) => a.ip)).toEqual(['10.0.0.1']);
    expect(subsets[0].notReadyAddresses).toBeUndefined();
  });

  it('gives a headless Service without ports address-only subsets, with hostnames of pods in its subdomain', () => {
    const subsets = endpointSubsets(service({ clusterIP: 'None', ports: [] }), [pod('a', '10.0.0.1', { hostname: 'a', subdomain: 'web' }), pod('b', '10.0.0.2', { hostname: 'b', subdomain: 'other' })]);
    expect(subsets).toEqual([
      {
        addresses: [
          { ip: '10.0.0.1', hostname: 'a', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' } },
          { ip: '10.0.0.2', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'b', uid: 'uid-b' } },
        ],
      },
    ]);
  });

  it('is empty when no pod offers anything', () => {
    expect(endpointSubsets(service({ ports: [{ port: 80 }] }), [pod('a', undefined)])).toEqual([]);
  });
});
