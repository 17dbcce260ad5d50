/**
 * `kubectl get services, endpoints, nodes, namespaces, events, configmaps, secrets, leases,
 * customresourcedefinitions`, cell for cell as upstream's printers (kubernetes
 * `pkg/printers/internalversion/printers.go`; CRDs have no printer there and get the
 * apiserver's default Name / Created At table).
 */
import { isIP } from 'node:net';
import type { Obj } from '../../api/object';
import type { ConfigMap, Endpoints, Event, Lease, Namespace, Node, Secret, Service } from '../../api/types';
import { ageColumn, column, formatLabels, nameColumn, objectAge, since } from './cells';
import type { Printer } from './table';

export const servicePrinter: Printer = {
  columns: [
    nameColumn,
    column('Type', 'string', 'type determines how the Service is exposed. Defaults to ClusterIP.'),
    column('Cluster-IP', 'string', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    column('External-IP', 'string', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    column('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    ageColumn,
    column('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.', 1),
  ],
  cells(object: Obj, now: number): unknown[] {
    const service = object as unknown as Service;
    const spec = service.spec ?? {};
    // Upstream's conversion fills clusterIPs from clusterIP when only clusterIP is set.
    const clusterIP = spec.clusterIPs?.[0] ?? spec.clusterIP;
    return [
      service.metadata.name,
      spec.type ?? 'ClusterIP',
      clusterIP || '<none>',
      externalIP(service),
      portsCell(spec.ports) || '<none>',
      objectAge(object, now),
      formatLabels(spec.selector ?? undefined),
    ];
  },
};

/** Upstream `getServiceExternalIP` for wide output (the server always prints wide cells). */
function externalIP(service: Service): string {
  const spec = service.spec ?? {};
  const external = spec.externalIPs ?? [];
  switch (spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return external.length > 0 ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = new Set<string>();
      for (const i of service.status?.loadBalancer?.ingress ?? []) {
        if (i.ip) ingress.add(i.ip);
        else if (i.hostname) ingress.add(i.hostname);
      }
      const balanced = [...ingress].sort();
      if (external.length > 0) return [...balanced, ...external].join(',');
      return balanced.length > 0 ? balanced.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

/** `80/TCP`, or `80:30080/TCP` with a node port, comma-separated (upstream `makePortString`). */
function portsCell(ports: Array<{ port: number; nodePort?: number; protocol?: string }> | undefined): string {
  return (ports ?? []).map((p) => (p.nodePort && p.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
}

export const endpointsPrinter: Printer = {
  columns: [nameColumn, column('Endpoints', 'string', 'The set of all endpoints is the union of all subsets.'), ageColumn],
  cells: (object, now) => [object.metadata.name, formatEndpoints(object as unknown as Endpoints), objectAge(object, now)],
};

/** The first three `ip:port` pairs and how many more (upstream `formatEndpoints`). */
export function formatEndpoints(endpoints: Endpoints): string {
  const subsets = endpoints.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let count = 0;
  let more = false;
  const add = (entry: string) => {
    if (list.length === max) more = true;
    else list.push(entry);
  };
  for (const subset of subsets) {
    const addresses = subset.addresses ?? [];
    const ports = subset.ports ?? [];
    if (ports.length === 0) {
      // A headless Service may have addresses and no ports.
      count += addresses.length;
      for (const a of addresses) add(a.ip);
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      for (const a of addresses) add(joinHostPort(a.ip, port.port));
    }
  }
  const joined = list.join(',');
  return more ? `${joined} + ${count - max} more...` : joined;
}

function joinHostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

const nodeRolePrefix = 'node-role.kubernetes.io/';
const nodeRoleLabel = 'kubernetes.io/role';

export const nodePrinter: Printer = {
  columns: [
    nameColumn,
    column('Status', 'string', 'The status of the node'),
    column('Roles', 'string', 'The roles of the node'),
    ageColumn,
    column('Version', 'string', 'Kubelet Version reported by the node.'),
    column('Internal-IP', 'string', 'List of addresses reachable to the node.', 1),
    column('External-IP', 'string', 'List of addresses reachable to the node.', 1),
    column('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1),
    column('Kernel-Version', 'string', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
    column('Container-Runtime', 'string', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', 1),
  ],
  cells(object: Obj, now: number): unknown[] {
    const node = object as unknown as Node;
    const info = node.status?.nodeInfo;
    const address = (type: string) => node.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';
    return [
      node.metadata.name,
      nodeStatus(node),
      nodeRoles(node).join(',') || '<none>',
      objectAge(object, now),
      info?.kubeletVersion ?? '',
      address('InternalIP'),
      address('ExternalIP'),
      info?.osImage || '<unknown>',
      info?.kernelVersion || '<unknown>',
      info?.containerRuntimeVersion || '<unknown>',
    ];
  },
};

/** Ready, NotReady or Unknown, then SchedulingDisabled when cordoned. */
export function nodeStatus(node: Node): string {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const status = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

/** Roles from `node-role.kubernetes.io/<role>` labels and the `kubernetes.io/role` label, sorted. */
export function nodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata.labels ?? {})) {
    if (key.startsWith(nodeRolePrefix)) {
      const role = key.slice(nodeRolePrefix.length);
      if (role) roles.add(role);
    } else if (key === nodeRoleLabel && value) {
      roles.add(value);
    }
  }
  return [...roles].sort();
}

export const namespacePrinter: Printer = {
  columns: [nameColumn, column('Status', 'string', 'The status of the namespace'), ageColumn],
  cells: (object, now) => [object.metadata.name, (object as unknown as Namespace).status?.phase ?? '', objectAge(object, now)],
};

export const eventPrinter: Printer = {
  columns: [
    column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    column('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
    column('Reason', 'string', 'This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.'),
    column('Object', 'string', 'The object that this event is about.'),
    column('Subobject', 'string', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.', 1),
    column('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.', 1),
    column('Message', 'string', 'A human-readable description of the status of this operation.'),
    column('First Seen', 'string', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', 1),
    column('Count', 'string', 'The number of times this event has occurred.', 1),
    { ...nameColumn, priority: 1 },
  ],
  cells(object: Obj, now: number): unknown[] {
    const event = object as unknown as Event;
    const first = event.firstTimestamp ? since(event.firstTimestamp, now) : since(event.eventTime, now);
    let last = event.lastTimestamp ? since(event.lastTimestamp, now) : first;
    let count = event.count ?? 0;
    if (event.series) {
      last = since(event.series.lastObservedTime, now);
      count = event.series.count ?? 0;
    } else if (count === 0) {
      // Events of the events.k8s.io API that happened once carry no count.
      count = 1;
    }
    const involved = event.involvedObject;
    const kind = (involved.kind ?? '').toLowerCase();
    const target = involved.name ? `${kind}/${involved.name}` : kind;
    return [last, event.type ?? '', event.reason ?? '', target, involved.fieldPath ?? '', eventSource(event), (event.message ?? '').trim(), first, count, event.metadata.name];
  },
};

/** `component, host`, falling back to the reporting controller and instance (upstream `formatEventSource`). */
function eventSource(event: Event): string {
  const component = event.source?.component || event.reportingComponent || '';
  const instance = event.source?.host || event.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

export const configMapPrinter: Printer = {
  columns: [nameColumn, column('Data', 'string', 'Data contains the configuration data.'), ageColumn],
  cells(object: Obj, now: number): unknown[] {
    const cm = object as unknown as ConfigMap;
    return [cm.metadata.name, Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length, objectAge(object, now)];
  },
};

export const secretPrinter: Printer = {
  columns: [nameColumn, column('Type', 'string', 'Used to facilitate programmatic handling of secret data.'), column('Data', 'string', 'Data contains the secret data.'), ageColumn],
  cells(object: Obj, now: number): unknown[] {
    const secret = object as unknown as Secret;
    return [secret.metadata.name, secret.type ?? '', Object.keys(secret.data ?? {}).length, objectAge(object, now)];
  },
};

export const leasePrinter: Printer = {
  columns: [nameColumn, column('Holder', 'string', 'holderIdentity contains the identity of the holder of a current lease.'), ageColumn],
  cells: (object, now) => [object.metadata.name, (object as unknown as Lease).spec?.holderIdentity ?? '', objectAge(object, now)],
};

/** The apiserver's default table, for kinds without a printer: the name and the creation time itself. */
export const createdAtPrinter: Printer = {
  columns: [nameColumn, { name: 'Created At', type: 'date', format: '', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.', priority: 0 }],
  cells(object: Obj): unknown[] {
    const created = Date.parse(object.metadata.creationTimestamp ?? '');
    // Go's zero time, as upstream prints an object without a creation timestamp.
    const text = Number.isNaN(created) ? '0001-01-01T00:00:00Z' : new Date(created).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return [object.metadata.name, text];
  },
};
