import { builtinKinds } from '../../../crds';
import type { Obj } from '../../api/object';
import { ResourceType } from '../registry';
import { printerFor } from './table';

const now = Date.parse('2024-05-01T12:00:00Z');
const meta = (name: string) => ({ name, namespace: 'default', creationTimestamp: new Date(now - 300_000).toISOString() });

function row(kind: string, object: Record<string, unknown>): Record<string, unknown> {
  const printer = printerFor(new ResourceType(builtinKinds.find((d) => d.kind === kind)!));
  const cells = printer.cells({ kind, ...object } as Obj, now);
  expect(cells).toHaveLength(printer.columns.length);
  return Object.fromEntries(printer.columns.map((c, i) => [c.name, cells[i]]));
}

const rule = (host?: string) => ({ ...(host ? { host } : {}), http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } });

describe('Ingress', () => {
  const ingress = (spec: Record<string, unknown>, status: Record<string, unknown> = {}) => row('Ingress', { metadata: meta('web'), spec, status });

  it('prints class, hosts, addresses and ports', () => {
    expect(
      ingress(
        { ingressClassName: 'nginx', rules: [rule('shop.example.com'), rule('api.example.com')], tls: [{ hosts: ['shop.example.com'], secretName: 'tls' }] },
        { loadBalancer: { ingress: [{ ip: '203.0.113.9' }, { hostname: 'lb.example.com' }, { ip: '198.51.100.2' }, { ip: '203.0.113.9' }] } },
      ),
    ).toEqual({ Name: 'web', Class: 'nginx', Hosts: 'shop.example.com,api.example.com', Address: '198.51.100.2,203.0.113.9,lb.example.com', Ports: '80, 443', Age: '5m' });
  });

  it('prints * without hosts, <none> without class, port 80 without TLS, nothing before an address', () => {
    expect(ingress({ rules: [rule()] })).toEqual({ Name: 'web', Class: '<none>', Hosts: '*', Address: '', Ports: '80', Age: '5m' });
    expect(ingress({ defaultBackend: { service: { name: 'web', port: { number: 80 } } } }).Hosts).toBe('*');
  });

  it('lists three hosts and counts the rules past them, as upstream does', () => {
    expect(ingress({ rules: ['a.io', 'b.io', 'c.io', 'd.io', undefined].map(rule) }).Hosts).toBe('a.io,b.io,c.io + 2 more...');
    expect(ingress({ rules: [undefined, 'a.io', 'b.io'].map(rule) }).Hosts).toBe('a.io,b.io');
  });
});

describe('EndpointSlice', () => {
  const slice = (extra: Record<string, unknown>) => row('EndpointSlice', { metadata: meta('web-abc12'), addressType: 'IPv4', ...extra });
  const endpoint = (...addresses: string[]) => ({ addresses, conditions: { ready: true } });

  it('prints ports and addresses', () => {
    expect(slice({ ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'https', port: 443, protocol: 'TCP' }], endpoints: [endpoint('10.0.0.1'), endpoint('10.0.0.2')] })).toEqual({
      Name: 'web-abc12',
      AddressType: 'IPv4',
      Ports: '80,443',
      Endpoints: '10.0.0.1,10.0.0.2',
      Age: '5m',
    });
  });

  it('lists three of each and says how many more', () => {
    const ports = [1, 2, 3, 4, 5].map((port) => ({ name: `p${port}`, port, protocol: 'TCP' }));
    expect(slice({ ports, endpoints: [endpoint('10.0.0.1', '10.0.0.2'), endpoint('10.0.0.3'), endpoint('10.0.0.4')] })).toMatchObject({
      Ports: '1,2,3 + 2 more...',
      Endpoints: '10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...',
    });
  });

  it('prints a named port without number by name, all ports as *, and <unset> for none', () => {
    expect(slice({ ports: [{ name: 'dns', protocol: 'UDP' }, { protocol: 'TCP' }] }).Ports).toBe('dns,*');
    expect(slice({ ports: [], endpoints: [] })).toMatchObject({ Ports: '<unset>', Endpoints: '<unset>' });
  });
});
