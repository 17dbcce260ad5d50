/**
 * `describe` for Services, Nodes and Namespaces as kubectl's describers write them, and the
 * generic description (a field dump) for every other kind. Services list their endpoints from
 * the core Endpoints object, which is what berth serves (kubectl reads EndpointSlices).
 */
import type { Obj } from '../../../api/object';
import type { Endpoints, Event, Lease, LimitRange, Namespace, Node, Pod, ResourceQuota, Service } from '../../../api/types';
import { formatBytes, formatCpu, podRequests, toResourceList } from '../../../util/quantity';
import { describeEvents } from '../events';
import { annotationsMultiline, DescribeWriter, labelsMultiline, rfc1123, since, taintsMultiline } from './writer';

function selectorText(selector: Record<string, string> | undefined): string {
  return Object.entries(selector ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** `10.0.0.1:8080,10.0.0.2:8080 + 3 more...` for the ready addresses behind a service port. */
function endpointsText(endpoints: Endpoints | undefined, portName: string | undefined): string {
  const list: string[] = [];
  for (const subset of endpoints?.subsets ?? []) {
    const port = (subset.ports ?? []).find((p) => (p.name ?? '') === (portName ?? '')) ?? ((subset.ports ?? []).length === 1 && !portName ? subset.ports![0] : undefined);
    for (const a of subset.addresses ?? []) list.push(port ? `${a.ip}:${port.port}` : a.ip);
  }
  if (list.length === 0) return '<none>';
  return list.length > 3 ? `${list.slice(0, 3).join(',')} + ${list.length - 3} more...` : list.join(',');
}

export function describeService(service: Service, endpoints: Endpoints | undefined, events: Event[] | undefined): string {
  const w = new DescribeWriter();
  const spec = service.spec ?? {};
  w.write(0, `Name:\t${service.metadata.name}\n`);
  w.write(0, `Namespace:\t${service.metadata.namespace ?? ''}\n`);
  labelsMultiline(w, 'Labels', service.metadata.labels);
  annotationsMultiline(w, 'Annotations', service.metadata.annotations);
  w.write(0, `Selector:\t${selectorText(spec.selector)}\n`);
  w.write(0, `Type:\t${spec.type ?? ''}\n`);
  if (spec.ipFamilyPolicy) w.write(0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
  w.write(0, `IP Families:\t${spec.ipFamilies?.length ? spec.ipFamilies.join(',') : '<none>'}\n`);
  w.write(0, `IP:\t${spec.clusterIP ?? ''}\n`);
  w.write(0, `IPs:\t${spec.clusterIPs?.length ? spec.clusterIPs.join(',') : '<none>'}\n`);
  if (spec.externalIPs?.length) w.write(0, `External IPs:\t${spec.externalIPs.join(',')}\n`);
  if (spec.externalName) w.write(0, `External Name:\t${spec.externalName}\n`);
  for (const p of spec.ports ?? []) {
    const name = p.name || '<unset>';
    const protocol = p.protocol ?? 'TCP';
    w.write(0, `Port:\t${name}\t${p.port}/${protocol}\n`);
    w.write(0, `TargetPort:\t${p.targetPort ?? p.port}/${protocol}\n`);
    if (p.nodePort) w.write(0, `NodePort:\t${name}\t${p.nodePort}/${protocol}\n`);
    w.write(0, `Endpoints:\t${endpointsText(endpoints, p.name)}\n`);
  }
  w.write(0, `Session Affinity:\t${spec.sessionAffinity ?? ''}\n`);
  if (spec.externalTrafficPolicy) w.write(0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
  if (spec.internalTrafficPolicy) w.write(0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
  describeEvents(w, events);
  return w.toString();
}

const rolePrefix = 'node-role.kubernetes.io/';

function nodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith(rolePrefix) && k.length > rolePrefix.length) roles.add(k.slice(rolePrefix.length));
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return [...roles].sort();
}

function resourceLines(w: DescribeWriter, list: Record<string, unknown> | undefined): void {
  for (const name of Object.keys(list ?? {}).sort()) w.write(0, `  ${name}:\t${String(list![name])}\n`);
}

/** Summed container limits (what kubectl shows beside the requests). */
function podLimits(pod: Pod): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const c of pod.spec?.containers ?? []) {
    for (const [k, v] of Object.entries(toResourceList(c.resources?.limits as Record<string, string> | undefined))) sum[k] = (sum[k] ?? 0) + v;
  }
  return sum;
}

const percent = (part: number, whole: number): number => (whole > 0 ? Math.trunc((part / whole) * 100) : 0);
const formatAmount = (resource: string, value: number): string => (resource === 'cpu' ? formatCpu(value) : resource === 'memory' || resource === 'ephemeral-storage' ? formatBytes(value) : String(value));

function describeNodeResources(w: DescribeWriter, node: Node, pods: Pod[]): void {
  const allocatable = toResourceList((node.status?.allocatable ?? node.status?.capacity) as Record<string, string> | undefined);
  w.write(0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const requested: Record<string, number> = {};
  const limited: Record<string, number> = {};
  for (const pod of pods) {
    const requests = podRequests(pod.spec ?? {});
    const limits = podLimits(pod);
    for (const [k, v] of Object.entries(requests)) requested[k] = (requested[k] ?? 0) + v;
    for (const [k, v] of Object.entries(limits)) limited[k] = (limited[k] ?? 0) + v;
    const cell = (resource: string, value: number) => `${formatAmount(resource, value)} (${percent(value, allocatable[resource] ?? 0)}%)`;
    w.write(
      1,
      `${pod.metadata.namespace}\t${pod.metadata.name}\t\t${cell('cpu', requests.cpu ?? 0)}\t${cell('cpu', limits.cpu ?? 0)}\t${cell('memory', requests.memory ?? 0)}\t${cell('memory', limits.memory ?? 0)}\t${since(pod.metadata.creationTimestamp)}\n`,
    );
  }
  w.write(0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(1, 'Resource\tRequests\tLimits\n');
  w.write(1, '--------\t--------\t------\n');
  for (const resource of ['cpu', 'memory', 'ephemeral-storage']) {
    const r = requested[resource] ?? 0;
    const l = limited[resource] ?? 0;
    w.write(1, `${resource}\t${formatAmount(resource, r)} (${percent(r, allocatable[resource] ?? 0)}%)\t${formatAmount(resource, l)} (${percent(l, allocatable[resource] ?? 0)}%)\n`);
  }
}

/** `lease` is the node's Lease, or why it could not be read. */
export function describeNode(node: Node, pods: Pod[], lease: Lease | string, events: Event[] | undefined): string {
  const w = new DescribeWriter();
  const status = node.status ?? {};
  const spec = node.spec ?? {};
  w.write(0, `Name:\t${node.metadata.name}\n`);
  w.write(0, `Roles:\t${nodeRoles(node).join(',') || '<none>'}\n`);
  labelsMultiline(w, 'Labels', node.metadata.labels);
  annotationsMultiline(w, 'Annotations', node.metadata.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123(node.metadata.creationTimestamp)}\n`);
  taintsMultiline(w, 'Taints', spec.taints);
  w.write(0, `Unschedulable:\t${spec.unschedulable ?? false}\n`);
  if (typeof lease === 'string') {
    w.write(0, `Lease:\tFailed to get lease: ${lease}\n`);
  } else {
    w.write(0, 'Lease:\n');
    w.write(1, `HolderIdentity:\t${lease.spec?.holderIdentity ?? '<unset>'}\n`);
    w.write(1, `AcquireTime:\t${lease.spec?.acquireTime ? rfc1123(lease.spec.acquireTime) : '<unset>'}\n`);
    w.write(1, `RenewTime:\t${lease.spec?.renewTime ? rfc1123(lease.spec.renewTime) : '<unset>'}\n`);
  }
  if (status.conditions?.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of status.conditions) {
      w.write(1, `${c.type} \t${c.status} \t${rfc1123(c.lastHeartbeatTime)} \t${rfc1123(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
    }
  }
  w.write(0, 'Addresses:\n');
  for (const a of status.addresses ?? []) w.write(1, `${a.type}:\t${a.address}\n`);
  if (Object.keys(status.capacity ?? {}).length > 0) {
    w.write(0, 'Capacity:\n');
    resourceLines(w, status.capacity);
  }
  if (Object.keys(status.allocatable ?? {}).length > 0) {
    w.write(0, 'Allocatable:\n');
    resourceLines(w, status.allocatable);
  }
  const info = status.nodeInfo;
  w.write(0, 'System Info:\n');
  w.write(0, `  Machine ID:\t${info?.machineID ?? ''}\n`);
  w.write(0, `  System UUID:\t${info?.systemUUID ?? ''}\n`);
  w.write(0, `  Boot ID:\t${info?.bootID ?? ''}\n`);
  w.write(0, `  Kernel Version:\t${info?.kernelVersion ?? ''}\n`);
  w.write(0, `  OS Image:\t${info?.osImage ?? ''}\n`);
  w.write(0, `  Operating System:\t${info?.operatingSystem ?? ''}\n`);
  w.write(0, `  Architecture:\t${info?.architecture ?? ''}\n`);
  w.write(0, `  Container Runtime Version:\t${info?.containerRuntimeVersion ?? ''}\n`);
  w.write(0, `  Kubelet Version:\t${info?.kubeletVersion ?? ''}\n`);
  w.write(0, `  Kube-Proxy Version:\t${info?.kubeProxyVersion ?? ''}\n`);
  if (spec.podCIDR) w.write(0, `PodCIDR:\t${spec.podCIDR}\n`);
  if (spec.podCIDRs?.length) w.write(0, `PodCIDRs:\t${spec.podCIDRs.join(',')}\n`);
  if (spec.providerID) w.write(0, `ProviderID:\t${spec.providerID}\n`);
  describeNodeResources(w, node, pods);
  describeEvents(w, events);
  return w.toString();
}

/**
 * kubectl's namespace describer: the ResourceQuotas and LimitRanges of the namespace follow, each
 * section only when they could be listed (`undefined`: kubectl leaves the section out).
 */
export function describeNamespace(namespace: Namespace, quotas?: ResourceQuota[], limitRanges?: LimitRange[]): string {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${namespace.metadata.name}\n`);
  labelsMultiline(w, 'Labels', namespace.metadata.labels);
  annotationsMultiline(w, 'Annotations', namespace.metadata.annotations);
  w.write(0, `Status:\t${namespace.status?.phase ?? ''}\n`);
  const conditions = namespace.status?.conditions ?? [];
  if (conditions.length > 0) {
    w.write(0, 'Conditions:\n');
    w.write(1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t------------------\t------\t-------\n');
    for (const c of conditions) w.write(1, `${c.type}\t${c.status}\t${rfc1123(c.lastTransitionTime)}\t${c.reason ?? ''}\t${c.message ?? ''}\n`);
  }
  if (quotas) {
    w.write(0, '\n');
    describeResourceQuotas(w, quotas);
  }
  if (limitRanges) {
    w.write(0, '\n');
    describeLimitRanges(w, limitRanges);
  }
  return w.toString();
}

/** kubectl's DescribeResourceQuotas: per quota, its scopes and each resource's used and hard (from status). */
function describeResourceQuotas(w: DescribeWriter, quotas: ResourceQuota[]): void {
  if (quotas.length === 0) {
    w.write(0, 'No resource quota.\n');
    return;
  }
  w.write(0, 'Resource Quotas\n');
  for (const quota of [...quotas].sort((a, b) => byName(a.metadata.name, b.metadata.name))) {
    w.write(1, `Name:\t${quota.metadata.name}\n`);
    const scopes = [...(quota.spec?.scopes ?? [])].sort();
    if (scopes.length > 0) w.write(1, `Scopes:\t${scopes.join(', ')}\n`);
    for (const scope of scopes) if (scopeHelp[scope]) w.write(1, `* ${scopeHelp[scope]}\n`);
    w.write(1, 'Resource\tUsed\tHard\n');
    w.write(1, '--------\t---\t---\n');
    const hard = quota.status?.hard ?? {};
    for (const resource of Object.keys(hard).sort()) w.write(1, `${resource}\t${String(quota.status?.used?.[resource] ?? '0')}\t${String(hard[resource])}\n`);
  }
}

/** kubectl's DescribeLimitRanges: a row per limit item and resource, `-` where the item sets nothing. */
function describeLimitRanges(w: DescribeWriter, limitRanges: LimitRange[]): void {
  if (limitRanges.length === 0) {
    w.write(0, 'No LimitRange resource.\n');
    return;
  }
  w.write(0, 'Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n');
  w.write(0, ' ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n');
  for (const range of limitRanges) {
    for (const item of range.spec?.limits ?? []) {
      const columns = [item.min, item.max, item.defaultRequest, item.default, item.maxLimitRequestRatio];
      // kubectl walks a Go map here, so its row order varies; berth sorts by resource.
      const resources = [...new Set(columns.flatMap((values) => Object.keys(values ?? {})))].sort();
      for (const resource of resources) {
        const cells = columns.map((values) => (values?.[resource] === undefined ? '-' : String(values[resource])));
        w.write(0, ` ${item.type}\t${resource}\t${cells.join('\t')}\n`);
      }
    }
  }
}

/** kubectl's helpTextForResourceQuotaScope. */
const scopeHelp: Record<string, string> = {
  Terminating: 'Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.',
  NotTerminating: 'Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.',
  BestEffort: 'Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.',
  NotBestEffort: 'Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.',
};

function byName(a: string | undefined, b: string | undefined): number {
  return (a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0;
}

/** `replicas` → `Replicas`, `clusterIP` → `Cluster IP`, as kubectl's smartLabelFor. */
function smartLabel(field: string): string {
  if (/[^A-Za-z-]/.test(field)) return field;
  const acronyms = new Set(['API', 'URL', 'UID', 'OSB', 'GUID']);
  const parts = field.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|-/g) ?? [field];
  return parts
    .filter((p) => p !== '_')
    .map((p) => (acronyms.has(p.toUpperCase()) ? p.toUpperCase() : p[0].toUpperCase() + p.slice(1)))
    .join(' ');
}

const skipped = new Set(['.metadata.managedFields', '.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations']);

function fields(w: DescribeWriter, level: number, content: Record<string, unknown>, prefix: string): void {
  for (const field of Object.keys(content).sort()) {
    const value = content[field];
    const path = `${prefix}.${field}`;
    if (skipped.has(path)) continue;
    if (Array.isArray(value)) {
      w.write(level, `${smartLabel(field)}:\n`);
      for (const item of value) {
        if (item !== null && typeof item === 'object' && !Array.isArray(item)) fields(w, level + 1, item as Record<string, unknown>, path);
        else w.write(level + 1, `${formatValue(item)}\n`);
      }
    } else if (value !== null && typeof value === 'object') {
      w.write(level, `${smartLabel(field)}:\n`);
      fields(w, level + 1, value as Record<string, unknown>, path);
    } else {
      w.write(level, `${smartLabel(field)}:\t${formatValue(value)}\n`);
    }
  }
}

/** A scalar as Go's `%v` prints it from unstructured JSON. */
function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  return String(value);
}

/** Any other kind: its metadata, then every field, as kubectl's generic describer. */
export function describeGeneric(obj: Obj, events: Event[] | undefined): string {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${obj.metadata.name}\n`);
  w.write(0, `Namespace:\t${obj.metadata.namespace ?? ''}\n`);
  labelsMultiline(w, 'Labels', obj.metadata.labels);
  annotationsMultiline(w, 'Annotations', obj.metadata.annotations);
  fields(w, 0, obj as unknown as Record<string, unknown>, '');
  describeEvents(w, events);
  return w.toString();
}
