import { Endpoints, Service } from '../../api/types';
import { nodePortTable, RoundRobin } from './node-ports';

const service = (name: string, type: string, ports: NonNullable<Service['spec']>['ports']): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec: { type: type as 'NodePort', ports },
});

const endpoints = (subsets: Endpoints['subsets']): Endpoints => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'x', namespace: 'default' }, subsets });

describe('nodePortTable', () => {
  const cases: Array<{ name: string; services: Service[]; endpoints: Record<string, Endpoints>; want: Record<number, string[]> }> = [
    {
      name: 'ready addresses of the port with the same name; not-ready ones left out',
      services: [service('web', 'NodePort', [{ name: 'http', port: 80, nodePort: 30080 }, { name: 'admin', port: 81, nodePort: 30081 }])],
      endpoints: {
        'default/web': endpoints([
          {
            addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }],
            notReadyAddresses: [{ ip: '10.0.0.3' }],
            ports: [{ name: 'http', port: 8080 }, { name: 'admin', port: 9090 }],
          },
        ]),
      },
      want: { 30080: ['10.0.0.1:8080', '10.0.0.2:8080'], 30081: ['10.0.0.1:9090', '10.0.0.2:9090'] },
    },
    {
      name: 'subsets with different ports (pods resolving a named targetPort differently)',
      services: [service('web', 'LoadBalancer', [{ name: 'http', port: 80, nodePort: 30080 }])],
      endpoints: {
        'default/web': endpoints([
          { addresses: [{ ip: '10.0.0.1' }], ports: [{ name: 'http', port: 8080 }] },
          { addresses: [{ ip: '10.0.0.2' }], ports: [{ name: 'http', port: 8081 }] },
        ]),
      },
      want: { 30080: ['10.0.0.1:8080', '10.0.0.2:8081'] },
    },
    {
      name: 'an unnamed single port matches the unnamed endpoint port',
      services: [service('one', 'NodePort', [{ port: 80, nodePort: 30001 }])],
      endpoints: { 'default/one': endpoints([{ addresses: [{ ip: '10.0.0.9' }], ports: [{ port: 80 }] }]) },
      want: { 30001: ['10.0.0.9:80'] },
    },
    {
      name: 'a Service without Endpoints yet listens with no targets',
      services: [service('new', 'NodePort', [{ port: 80, nodePort: 30002 }])],
      endpoints: {},
      want: { 30002: [] },
    },
    {
      name: 'ClusterIP Services, UDP ports and ports without a nodePort are not proxied',
      services: [
        service('internal', 'ClusterIP', [{ port: 80 }]),
        service('dns', 'NodePort', [{ name: 'dns', port: 53, protocol: 'UDP', nodePort: 30053 }, { name: 'none', port: 54 }]),
      ],
      endpoints: {},
      want: {},
    },
  ];
  it.each(cases)('$name', ({ services, endpoints: byKey, want }) => {
    const table = nodePortTable(services, (key) => byKey[key]);
    const got = Object.fromEntries([...table].map(([port, entry]) => [port, entry.targets.map((t) => `${t.ip}:${t.port}`)]));
    expect(got).toEqual(want);
  });
});

describe('RoundRobin', () => {
  it('takes the targets in turn, skips those already tried, and keeps turning when the list changes', () => {
    const rr = new RoundRobin();
    expect(rr.pick()).toBeUndefined();
    rr.targets = [
      { ip: 'a', port: 1 },
      { ip: 'b', port: 1 },
      { ip: 'c', port: 1 },
    ];
    expect([rr.pick(), rr.pick(), rr.pick(), rr.pick()].map((t) => t!.ip)).toEqual(['a', 'b', 'c', 'a']);
    expect(rr.pick(new Set(['b:1', 'c:1']))!.ip).toBe('a');
    expect(rr.pick(new Set(['a:1', 'b:1', 'c:1']))).toBeUndefined();
    rr.targets = [{ ip: 'd', port: 1 }];
    expect([rr.pick(), rr.pick()].map((t) => t!.ip)).toEqual(['d', 'd']);
  });
});
