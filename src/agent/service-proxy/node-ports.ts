/**
 * What the service proxy listens on and where it forwards: for every TCP port of a NodePort or
 * LoadBalancer Service that has a nodePort, the ready endpoints behind it (the Endpoints object of
 * the same name: `addresses` only, never `notReadyAddresses`; the endpoint port whose name is the
 * Service port's name, as kube-proxy matches them). Pure.
 */
import { Endpoints, Service } from '../../api/types';

export interface Target {
  ip: string;
  port: number;
}

export interface NodePortEntry {
  nodePort: number;
  /** `namespace/name:port-name`, for logs. */
  service: string;
  targets: Target[];
}

const exposesNodePorts = (service: Service): boolean => service.spec?.type === 'NodePort' || service.spec?.type === 'LoadBalancer';

/** The nodePorts of these Services, each with its ready targets (possibly none); `endpoints` by `namespace/name`. */
export function nodePortTable(services: Service[], endpoints: (key: string) => Endpoints | undefined): Map<number, NodePortEntry> {
  const table = new Map<number, NodePortEntry>();
  for (const service of services) {
    if (!exposesNodePorts(service)) continue;
    const key = `${service.metadata.namespace}/${service.metadata.name}`;
    const subsets = endpoints(key)?.subsets ?? [];
    for (const port of service.spec?.ports ?? []) {
      if (!port.nodePort || (port.protocol ?? 'TCP') !== 'TCP') continue;
      // Two Services claiming one nodePort: the first (by the informer's order) keeps it, as the allocator would have refused the second.
      if (table.has(port.nodePort)) continue;
      const name = port.name ?? '';
      const targets: Target[] = [];
      for (const subset of subsets) {
        const endpointPort = (subset.ports ?? []).find((p) => (p.name ?? '') === name && (p.protocol ?? 'TCP') === 'TCP');
        if (!endpointPort) continue;
        for (const address of subset.addresses ?? []) targets.push({ ip: address.ip, port: endpointPort.port });
      }
      table.set(port.nodePort, { nodePort: port.nodePort, service: `${key}:${name || port.port}`, targets });
    }
  }
  return table;
}

/** Round-robin over a target list that may change under it. */
export class RoundRobin {
  private next = 0;
  private list: Target[] = [];

  get targets(): readonly Target[] {
    return this.list;
  }

  set targets(targets: Target[]) {
    this.list = targets;
  }

  /** The next target, skipping those in `tried`; undefined when none is left. */
  pick(tried: ReadonlySet<string> = new Set()): Target | undefined {
    const count = this.list.length;
    for (let i = 0; i < count; i++) {
      const target = this.list[this.next % count];
      this.next = (this.next + 1) % count;
      if (!tried.has(targetKey(target))) return target;
    }
    return undefined;
  }
}

export const targetKey = (t: Target): string => `${t.ip}:${t.port}`;
