/**
 * The Service allocator: a ClusterIP for every Service that needs one, a nodePort for every port
 * of a NodePort or LoadBalancer Service, both released when the Service goes or stops needing them.
 *
 *   reconcile(ns/name)
 *     1. claims held for this key that the live Service cannot use ──► delete (after a fresh GET)
 *     2. Service gone? done
 *     3. values the spec names ──► make sure a claim exists for this Service (else: taken by whom?)
 *        values the spec lacks  ──► reuse a claim in flight, or claim a free candidate
 *     4. write the Service with the new values, at the resourceVersion read (Conflict: retry)
 *     5. anything refused ──► Warning event + condition Allocated=False saying why
 *
 * Claims (claims.ts) are what makes allocation atomic across controllers; the caches only say
 * which candidates are worth trying.
 */
import { isAlreadyExists, isNotFound } from '../../src/api/errors';
import type { Condition, Lease, Service } from '../../src/api/types';
import type { EventType, ObjectCache, Reconciler, Result } from '../../src/client';
import { splitKey } from '../../src/client';
import { clone, deepEqual } from '../../src/util/json';
import { Claim, CLAIM_NAMESPACE, ClaimKind, claimName, claimObject, HOLDER_INDEX, readClaim } from './claims';
import { candidates, ValueRange } from './ranges';
import { allocatesNodePorts, claimIsStale, clusterIpWant, requestedNodePorts, usesNodePorts } from './wants';

/** Index of the Services cache: the ClusterIP of each. */
export const CLUSTER_IP_INDEX = 'clusterIP';
/** Index of the Services cache: the nodePorts of each. */
export const NODE_PORT_INDEX = 'nodePort';
export const ALLOCATED_CONDITION = 'Allocated';
/** Claims tried for one value before the reconcile gives up and retries with backoff. */
const MAX_ATTEMPTS = 32;

/** The API calls the allocator makes; over the client in index.ts, recorded in unit tests. */
export interface AllocatorApi {
  getService(namespace: string, name: string): Promise<Service | undefined>;
  updateService(service: Service): Promise<Service>;
  updateServiceStatus(service: Service): Promise<Service>;
  getClaim(name: string): Promise<Lease | undefined>;
  /** The names of every claim of one kind, as the store holds them now. */
  listClaimNames(kind: ClaimKind): Promise<Set<string>>;
  /** Rejects with AlreadyExists when the value is claimed. */
  createClaim(claim: Lease): Promise<void>;
  /** Deletes the claim if it is still the one read (uid and resourceVersion); gone already is fine. */
  deleteClaim(lease: Lease): Promise<void>;
}

export interface AllocatorOptions {
  services: ObjectCache<Service>;
  claims: ObjectCache<Lease>;
  api: AllocatorApi;
  clusterIps: ValueRange<string>;
  nodePorts: ValueRange<number>;
  event(service: Service, type: EventType, reason: string, message: string): void;
  now?: () => number;
  random?: () => number;
}

interface Problem {
  reason: string;
  message: string;
  /** The range is full: try again when something is released. */
  waitsForRelease?: boolean;
}

export class ServiceAllocator implements Reconciler {
  /** Services that found a range full; any released claim sends them round again. */
  readonly waiting = new Set<string>();
  private readonly now: () => number;

  constructor(private readonly options: AllocatorOptions) {
    this.now = options.now ?? Date.now;
  }

  async reconcile(_ctx: unknown, key: string): Promise<Result | void> {
    const { services } = this.options;
    const held = this.heldClaims(key);
    const cached = services.get(key);
    await this.releaseStale(key, held, cached);
    if (!cached) {
      this.waiting.delete(key);
      return;
    }
    const service = clone(cached) as Service;
    const spec = service.spec ?? {};
    const mine = held.filter((c) => c.claim.holderUid === service.metadata.uid);
    const problems: Problem[] = [];

    const ipWant = clusterIpWant(spec);
    if (ipWant.kind === 'exactly') {
      const problem = await this.ensureClaimed(service, 'clusterip', ipWant.ip, this.options.clusterIps.indexOf(ipWant.ip) !== undefined, this.options.clusterIps.text);
      if (problem) problems.push(problem);
    } else if (ipWant.kind === 'any') {
      const ip = await this.allocate(service, 'clusterip', mine, this.options.clusterIps);
      if (ip === undefined) problems.push({ reason: 'ClusterIPRangeFull', message: `no ClusterIP is free in ${this.options.clusterIps.text}`, waitsForRelease: true });
      else {
        spec.clusterIP = ip;
        spec.clusterIPs = [ip];
      }
    }

    if (usesNodePorts(spec)) {
      for (const port of requestedNodePorts(spec)) {
        const problem = await this.ensureClaimed(service, 'nodeport', String(port), this.options.nodePorts.indexOf(port) !== undefined, this.options.nodePorts.text);
        if (problem) problems.push(problem);
      }
      if (allocatesNodePorts(spec)) {
        // Ports of one number (TCP and UDP 53) share a nodePort, as upstream allocates them.
        const byPort = new Map<number, number>();
        for (const p of spec.ports ?? []) if (p.nodePort) byPort.set(p.port, p.nodePort);
        for (const p of spec.ports ?? []) {
          if (p.nodePort) continue;
          let nodePort = byPort.get(p.port);
          if (nodePort === undefined) {
            const inUse = new Set((spec.ports ?? []).map((q) => String(q.nodePort ?? '')));
            const free = mine.filter((c) => c.claim.kind === 'nodeport' && !inUse.has(c.claim.value));
            const got = await this.allocate(service, 'nodeport', free, this.options.nodePorts, (v) => inUse.has(String(v)));
            if (got === undefined) {
              problems.push({ reason: 'NodePortRangeFull', message: `no nodePort is free in ${this.options.nodePorts.text}`, waitsForRelease: true });
              break;
            }
            nodePort = Number(got);
            byPort.set(p.port, nodePort);
          }
          p.nodePort = nodePort;
        }
      }
    }

    let current: Service = cached;
    if (!deepEqual(spec, cached.spec ?? {})) {
      service.spec = spec;
      current = await this.options.api.updateService(service);
    }
    if (problems.some((p) => p.waitsForRelease)) this.waiting.add(key);
    else this.waiting.delete(key);
    for (const p of problems) this.options.event(current, 'Warning', p.reason, p.message);
    await this.writeCondition(current, problems);
  }

  private heldClaims(key: string): Array<{ lease: Lease; claim: Claim }> {
    return this.options.claims
      .byIndex(HOLDER_INDEX, key)
      .map((lease) => ({ lease, claim: readClaim(lease) }))
      .filter((c): c is { lease: Lease; claim: Claim } => c.claim !== undefined);
  }

  /** Deletes this key's claims the Service cannot use, judged against the live object, not the cache. */
  private async releaseStale(key: string, held: Array<{ lease: Lease; claim: Claim }>, cached: Service | undefined): Promise<void> {
    const suspects = held.filter((c) => claimIsStale(c.claim, cached));
    if (suspects.length === 0) return;
    const { namespace, name } = splitKey(key);
    const live = await this.options.api.getService(namespace ?? '', name);
    for (const { lease, claim } of suspects) {
      // Services waiting for a free value hear of this through the controller's watch on claims.
      if (claimIsStale(claim, live)) await this.options.api.deleteClaim(lease);
    }
  }

  /** A value the spec names: claimed by this Service, or the reason it cannot be. */
  private async ensureClaimed(service: Service, kind: ClaimKind, value: string, inRange: boolean, rangeText: string): Promise<Problem | undefined> {
    const what = kind === 'clusterip' ? 'ClusterIP' : 'nodePort';
    if (!inRange) {
      return { reason: kind === 'clusterip' ? 'ClusterIPOutOfRange' : 'NodePortOutOfRange', message: `the ${what} ${value} is not in the range ${rangeText}` };
    }
    const name = claimName(kind, value);
    const cached = this.options.claims.get(`${CLAIM_NAMESPACE}/${name}`);
    if (cached && readClaim(cached)?.holderUid === service.metadata.uid) return undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await this.options.api.createClaim(claimObject(kind, value, service));
        return undefined;
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
      }
      const existing = await this.options.api.getClaim(name);
      if (!existing) continue;
      const claim = readClaim(existing);
      if (claim?.holderUid === service.metadata.uid) return undefined;
      const holder = claim ? splitKey(claim.holderKey) : undefined;
      const holderService = holder ? await this.options.api.getService(holder.namespace ?? '', holder.name) : undefined;
      if (claim && !claimIsStale(claim, holderService)) {
        return { reason: kind === 'clusterip' ? 'ClusterIPAlreadyAllocated' : 'NodePortAlreadyAllocated', message: `the ${what} ${value} is already allocated to Service ${claim.holderKey}` };
      }
      await this.options.api.deleteClaim(existing);
    }
    throw new Error(`the ${what} ${value} could not be claimed for Service ${service.metadata.namespace}/${service.metadata.name}: its claim kept changing; retrying`);
  }

  /**
   * A value for the spec to take: a claim this Service made earlier and never wrote (a crash or
   * a conflict in between), else a free candidate claimed now. Undefined when the range is full.
   *
   * Candidates are first judged by the caches. Caches that lag may still hold claims released
   * since (under two controllers, many are duplicates released a moment later), so a range the
   * caches call full is judged again on the claims the store holds before it is called full.
   */
  private async allocate<V extends string | number>(
    service: Service,
    kind: ClaimKind,
    inFlight: Array<{ claim: Claim }>,
    range: ValueRange<V>,
    alsoTaken: (value: V) => boolean = () => false,
  ): Promise<string | undefined> {
    const reusable = inFlight.find((c) => c.claim.kind === kind && range.indexOf((kind === 'nodeport' ? Number(c.claim.value) : c.claim.value) as V) !== undefined);
    if (reusable) return reusable.claim.value;
    let attempts = 0;
    for (const judge of ['caches', 'store'] as const) {
      const claimed = judge === 'store' ? await this.options.api.listClaimNames(kind) : undefined;
      const taken = (value: V) => (claimed ? claimed.has(claimName(kind, value)) : this.takenInCaches(kind, value)) || alsoTaken(value);
      for (const value of candidates(range, taken, this.options.random)) {
        try {
          await this.options.api.createClaim(claimObject(kind, value, service));
          return String(value);
        } catch (e) {
          if (!isAlreadyExists(e)) throw e;
        }
        if (++attempts >= MAX_ATTEMPTS) {
          throw new Error(`${attempts} ${kind === 'clusterip' ? 'ClusterIPs' : 'nodePorts'} in a row were claimed by others for Service ${service.metadata.namespace}/${service.metadata.name}; retrying`);
        }
      }
    }
    return undefined;
  }

  /** Claimed, or written into a Service, as far as the caches know. */
  private takenInCaches(kind: ClaimKind, value: string | number): boolean {
    const index = kind === 'clusterip' ? CLUSTER_IP_INDEX : NODE_PORT_INDEX;
    return this.options.claims.has(`${CLAIM_NAMESPACE}/${claimName(kind, value)}`) || this.options.services.byIndex(index, String(value)).length > 0;
  }

  /** Allocated=False with the first problem's reason while any remain; True once a False one is resolved. */
  private async writeCondition(service: Service, problems: Problem[]): Promise<void> {
    const conditions = service.status?.conditions ?? [];
    const previous = conditions.find((c) => c.type === ALLOCATED_CONDITION);
    if (problems.length === 0 && !previous) return;
    const wanted: Omit<Condition, 'lastTransitionTime'> =
      problems.length > 0
        ? { type: ALLOCATED_CONDITION, status: 'False', reason: problems[0].reason, message: problems.map((p) => p.message).join('; ') }
        : { type: ALLOCATED_CONDITION, status: 'True', reason: 'Allocated', message: 'every ClusterIP and nodePort the Service asks for is allocated to it' };
    if (previous && previous.status === wanted.status && previous.reason === wanted.reason && previous.message === wanted.message) return;
    const lastTransitionTime = previous && previous.status === wanted.status ? previous.lastTransitionTime : new Date(this.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    const updated = clone(service) as Service;
    updated.status = { ...updated.status, conditions: [...conditions.filter((c) => c.type !== ALLOCATED_CONDITION), { ...wanted, lastTransitionTime, observedGeneration: service.metadata.generation }] };
    try {
      await this.options.api.updateServiceStatus(updated);
    } catch (e) {
      // Deleted meanwhile: its claims go on the next reconcile.
      if (!isNotFound(e)) throw e;
    }
  }
}
