/**
 * What a Service's spec asks of the allocators, and which claimed values it no longer uses. Pure.
 */
import type { Service, ServiceSpec } from '../../src/api/types';
import type { Claim } from './claims';

export type ClusterIpWant = { kind: 'none' } | { kind: 'any' } | { kind: 'exactly'; ip: string };

/** Headless and ExternalName Services have no ClusterIP; an empty one is to be allocated. */
export function clusterIpWant(spec: ServiceSpec | undefined): ClusterIpWant {
  if (!spec || spec.type === 'ExternalName') return { kind: 'none' };
  const ip = spec.clusterIP ?? spec.clusterIPs?.[0] ?? '';
  if (ip === 'None') return { kind: 'none' };
  return ip ? { kind: 'exactly', ip } : { kind: 'any' };
}

export function usesNodePorts(spec: ServiceSpec | undefined): boolean {
  return spec?.type === 'NodePort' || spec?.type === 'LoadBalancer';
}

/** Whether ports without a nodePort get one: NodePort always, LoadBalancer unless allocateLoadBalancerNodePorts is false. */
export function allocatesNodePorts(spec: ServiceSpec | undefined): boolean {
  return spec?.type === 'NodePort' || (spec?.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
}

/** The nodePorts the spec names (a number may serve a TCP and a UDP port of the same Service). */
export function requestedNodePorts(spec: ServiceSpec | undefined): number[] {
  if (!usesNodePorts(spec)) return [];
  return [...new Set((spec?.ports ?? []).map((p) => p.nodePort ?? 0).filter((p) => p > 0))];
}

/** True when every port that should have a nodePort has one. */
export function nodePortsComplete(spec: ServiceSpec | undefined): boolean {
  if (!allocatesNodePorts(spec)) return true;
  return (spec?.ports ?? []).every((p) => (p.nodePort ?? 0) > 0);
}

/**
 * Whether `claim` is of no use to `service` (the live object, or undefined when it is gone):
 * held for another uid, or for a value the spec can no longer take. A claim the spec might still
 * take (its ClusterIP or a nodePort is yet to be written) is not stale: it is an allocation in
 * flight, and deleting it could hand its value out twice.
 */
export function claimIsStale(claim: Claim, service: Service | undefined): boolean {
  if (!service || service.metadata.uid !== claim.holderUid) return true;
  const spec = service.spec;
  if (claim.kind === 'clusterip') {
    const want = clusterIpWant(spec);
    if (want.kind === 'none') return true;
    return want.kind === 'exactly' && want.ip !== claim.value;
  }
  if (!usesNodePorts(spec)) return true;
  if (requestedNodePorts(spec).includes(Number(claim.value))) return false;
  return nodePortsComplete(spec);
}
