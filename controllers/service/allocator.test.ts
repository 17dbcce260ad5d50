/**
 * The allocator on seeded caches, with an in-memory API that refuses a second claim of one name
 * (as the store does) and records every write.
 */
import { AlreadyExists, Conflict } from '../../src/api/errors';
import type { Lease, Service } from '../../src/api/types';
import { ObjectCache } from '../../src/client';
import { keyOf } from '../../src/client/kinds';
import { AllocatorApi, CLUSTER_IP_INDEX, NODE_PORT_INDEX, ServiceAllocator } from './allocator';
import { claimObject, HOLDER_INDEX } from './claims';
import { parseClusterIpRange, parseNodePortRange } from './ranges';

let uid = 0;
function service(name: string, spec: Service['spec'] = {}): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', uid: `uid-${name}-${++uid}`, resourceVersion: '1' }, spec: { type: 'ClusterIP', ports: [{ port: 80 }], ...spec } };
}

/** The API as the allocator sees it: claims by name (AlreadyExists on a second), Services by key (Conflict on a stale resourceVersion). */
class FakeApi implements AllocatorApi {
  readonly claims = new Map<string, Lease>();
  readonly services = new Map<string, Service>();
  readonly writes: string[] = [];

  async getService(namespace: string, name: string) {
    return this.services.get(`${namespace}/${name}`);
  }
  async updateService(s: Service) {
    const current = this.services.get(keyOf(s));
    if (current && current.metadata.resourceVersion !== s.metadata.resourceVersion) throw new Conflict('stale');
    const stored = { ...s, metadata: { ...s.metadata, resourceVersion: String(Number(s.metadata.resourceVersion) + 1) } };
    this.services.set(keyOf(s), stored);
    this.writes.push(`update ${s.metadata.name} ${s.spec?.clusterIP ?? ''} ${(s.spec?.ports ?? []).map((p) => p.nodePort ?? '').join(',')}`);
    return stored;
  }
  async updateServiceStatus(s: Service) {
    this.services.set(keyOf(s), s);
    const c = s.status?.conditions?.find((x) => x.type === 'Allocated');
    this.writes.push(`status ${s.metadata.name} ${c?.status} ${c?.reason}`);
    return s;
  }
  async getClaim(name: string) {
    return this.claims.get(name);
  }
  async listClaimNames(kind: string) {
    return new Set([...this.claims.keys()].filter((name) => name.startsWith(`${kind}-`)));
  }
  async createClaim(claim: Lease) {
    const name = claim.metadata.name!;
    if (this.claims.has(name)) throw new AlreadyExists(`leases "${name}" already exists`);
    this.claims.set(name, { ...claim, metadata: { ...claim.metadata, uid: `claim-${name}`, resourceVersion: '1' } });
    this.writes.push(`claim ${name} ${claim.spec?.holderIdentity}`);
  }
  async deleteClaim(lease: Lease) {
    this.claims.delete(lease.metadata.name!);
    this.writes.push(`release ${lease.metadata.name}`);
  }
}

function setup(settings = { cidr: '10.0.0.0/29', ports: '30000-30002' }) {
  const services = new ObjectCache<Service>();
  services.addIndex(CLUSTER_IP_INDEX, (s) => (s.spec?.clusterIP && s.spec.clusterIP !== 'None' ? [s.spec.clusterIP] : []));
  services.addIndex(NODE_PORT_INDEX, (s) => (s.spec?.ports ?? []).filter((p) => p.nodePort).map((p) => String(p.nodePort)));
  const claims = new ObjectCache<Lease>();
  claims.addIndex(HOLDER_INDEX, (l) => [l.spec?.holderIdentity ?? '']);
  const api = new FakeApi();
  const events: string[] = [];
  const allocator = new ServiceAllocator({
    services,
    claims,
    api,
    clusterIps: parseClusterIpRange(settings.cidr),
    nodePorts: parseNodePortRange(settings.ports),
    event: (s, _type, reason) => events.push(`${s.metadata.name} ${reason}`),
    random: () => 0,
    now: () => Date.parse('2030-01-01T00:00:00Z'),
  });
  /** Seeds a Service into both the API and the cache. */
  const seed = (s: Service) => {
    api.services.set(keyOf(s), s);
    services.upsert(s);
  };
  /** What the informers would show after the writes so far. */
  const catchUp = () => {
    for (const s of api.services.values()) services.upsert(s);
    for (const key of claims.keys()) claims.remove(key);
    for (const c of api.claims.values()) claims.upsert(c);
  };
  const reconcile = (name: string) => allocator.reconcile({}, `default/${name}`);
  return { allocator, api, services, claims, events, seed, catchUp, reconcile };
}

it('claims a free address, then writes it into the Service', async () => {
  const t = setup();
  t.seed(service('web'));
  await t.reconcile('web');
  // /29: .1 reserved, static band 0, so the first candidate from a random start of 0 is .2.
  expect(t.api.writes).toEqual(['claim clusterip-10.0.0.2 default/web', 'update web 10.0.0.2 ']);
  expect(t.api.services.get('default/web')?.spec?.clusterIPs).toEqual(['10.0.0.2']);
});

it('gives a TCP and a UDP port of one number the same nodePort', async () => {
  const t = setup();
  t.seed(service('dns', { type: 'NodePort', ports: [{ name: 'tcp', port: 53, protocol: 'TCP' }, { name: 'udp', port: 53, protocol: 'UDP' }, { name: 'http', port: 80 }] }));
  await t.reconcile('dns');
  const ports = t.api.services.get('default/dns')!.spec!.ports!.map((p) => p.nodePort);
  expect(ports[0]).toBe(ports[1]);
  expect(ports[2]).not.toBe(ports[0]);
  expect([...t.api.claims.keys()].filter((n) => n.startsWith('nodeport')).sort()).toEqual([`nodeport-${ports[0]}`, `nodeport-${ports[2]}`].sort());
});

it('passes over values another controller claimed that this cache has not seen', async () => {
  const t = setup();
  const other = service('other');
  t.api.claims.set('clusterip-10.0.0.2', claimObject('clusterip', '10.0.0.2', other));
  t.seed(service('web'));
  await t.reconcile('web');
  expect(t.api.services.get('default/web')?.spec?.clusterIP).toBe('10.0.0.3');
});

it('asks the store before calling a range full that only lagging caches fill', async () => {
  const t = setup({ cidr: '10.0.0.0/30', ports: '30000-30000' });
  t.seed(service('first'));
  await t.reconcile('first');
  t.catchUp();
  // first is gone and its claim released, but the caches have not heard yet.
  t.api.services.delete('default/first');
  t.api.claims.delete('clusterip-10.0.0.2');
  t.seed(service('second'));
  await t.reconcile('second');
  expect(t.api.services.get('default/second')?.spec?.clusterIP).toBe('10.0.0.2');
  expect(t.events).toEqual([]);
  expect(t.allocator.waiting.size).toBe(0);
});

it('reports a full range with a condition and an event, and waits for a release', async () => {
  const t = setup({ cidr: '10.0.0.0/30', ports: '30000-30000' });
  // A /30 has .1 (reserved) and .2.
  t.seed(service('first'));
  await t.reconcile('first');
  t.catchUp();
  t.seed(service('second'));
  await t.reconcile('second');
  expect(t.api.writes.slice(-1)).toEqual(['status second False ClusterIPRangeFull']);
  expect(t.events).toEqual(['second ClusterIPRangeFull']);
  expect(t.allocator.waiting).toEqual(new Set(['default/second']));

  // first is deleted: its own reconcile releases the claim, and second gets the address.
  t.api.services.delete('default/first');
  t.services.remove('default/first');
  await t.reconcile('first');
  expect(t.api.writes.slice(-1)).toEqual(['release clusterip-10.0.0.2']);
  t.catchUp();
  await t.reconcile('second');
  expect(t.api.services.get('default/second')?.spec?.clusterIP).toBe('10.0.0.2');
  expect(t.api.writes.slice(-1)).toEqual(['status second True Allocated']);
  expect(t.allocator.waiting.size).toBe(0);
});

it('refuses a requested address another Service holds, and takes one whose holder is gone', async () => {
  const t = setup();
  t.seed(service('web', { clusterIP: '10.0.0.5' }));
  await t.reconcile('web');
  t.catchUp();
  t.seed(service('copy', { clusterIP: '10.0.0.5' }));
  await t.reconcile('copy');
  expect(t.events).toEqual(['copy ClusterIPAlreadyAllocated']);
  expect(t.api.services.get('default/copy')?.status?.conditions?.[0].message).toBe('the ClusterIP 10.0.0.5 is already allocated to Service default/web');

  // web is deleted while no controller runs: its claim is stale, so copy may have the address.
  t.catchUp();
  t.api.services.delete('default/web');
  t.services.remove('default/web');
  await t.reconcile('copy');
  expect(t.api.claims.get('clusterip-10.0.0.5')?.spec?.holderIdentity).toBe('default/copy');
  expect(t.api.writes.slice(-1)).toEqual(['status copy True Allocated']);
});

describe('after a restart (nothing in memory, everything from the API)', () => {
  it('claims the values Services already carry', async () => {
    const t = setup();
    t.seed(service('old', { type: 'NodePort', clusterIP: '10.0.0.4', clusterIPs: ['10.0.0.4'], ports: [{ port: 80, nodePort: 30001 }] }));
    await t.reconcile('old');
    expect(t.api.writes).toEqual(['claim clusterip-10.0.0.4 default/old', 'claim nodeport-30001 default/old']);
  });

  it('uses a claim it made before crashing instead of claiming another value', async () => {
    const t = setup();
    const web = service('web');
    t.api.claims.set('clusterip-10.0.0.6', { ...claimObject('clusterip', '10.0.0.6', web), metadata: { ...claimObject('clusterip', '10.0.0.6', web).metadata, uid: 'c1', resourceVersion: '1' } });
    t.seed(web);
    t.catchUp();
    await t.reconcile('web');
    expect(t.api.writes).toEqual(['update web 10.0.0.6 ']);
  });

  it('releases claims of Services deleted while it was down, but not claims whose Service the cache has not seen yet', async () => {
    const t = setup();
    const gone = service('gone');
    const fresh = service('fresh');
    t.api.claims.set('clusterip-10.0.0.2', claimObject('clusterip', '10.0.0.2', gone));
    t.api.claims.set('clusterip-10.0.0.3', claimObject('clusterip', '10.0.0.3', fresh));
    // fresh exists in the API (another controller is allocating for it) but not in this cache.
    t.api.services.set('default/fresh', fresh);
    t.catchUp();
    t.services.remove('default/fresh');
    await t.reconcile('gone');
    await t.reconcile('fresh');
    expect(t.api.writes).toEqual(['release clusterip-10.0.0.2']);
    expect(t.api.claims.has('clusterip-10.0.0.3')).toBe(true);
  });

  it('releases the claim a Service of the same name but another uid left behind', async () => {
    const t = setup();
    const before = service('web');
    t.api.claims.set('clusterip-10.0.0.2', claimObject('clusterip', '10.0.0.2', before));
    t.seed(service('web'));
    t.catchUp();
    await t.reconcile('web');
    expect(t.api.writes[0]).toBe('release clusterip-10.0.0.2');
    expect(t.api.services.get('default/web')?.spec?.clusterIP).toBeDefined();
  });
});

it('lets a stale write fail with Conflict, keeping its claim for the retry', async () => {
  const t = setup();
  const web = service('web');
  t.seed(web);
  // Someone else changed the Service since the cache saw it.
  t.api.services.set('default/web', { ...web, metadata: { ...web.metadata, resourceVersion: '7' } });
  await expect(t.reconcile('web')).rejects.toThrow(Conflict);
  t.catchUp();
  await t.reconcile('web');
  expect(t.api.writes).toEqual(['claim clusterip-10.0.0.2 default/web', 'update web 10.0.0.2 ']);
});
