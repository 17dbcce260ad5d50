/**
 * One container of a pod spec, as upstream's pod validation checks it: name, image, ports, env,
 * volume mounts, probes and lifecycle handlers (exactly one handler each), resources (requests
 * within limits) — every problem reported, each at its path.
 */
import type { Cause } from '../../api/errors';
import { isQualifiedName } from '../../api/names';
import type { Container, Lifecycle, Probe, ResourceRequirements } from '../../api/types';
import { child, duplicate, forbidden, index, invalid, key, nonNegative, notFound, notSupported, required } from './field-errors';
import { dnsLabelCauses, portNameProblems, portNumberCauses, portNumOrNameCauses, quantityAmount } from './validate-common';

export type ContainerKind = 'containers' | 'initContainers' | 'ephemeralContainers';

export interface ContainerContext {
  /** Names of every container of the pod seen so far (containers and init containers share them). */
  names: Set<string>;
  /** Names of the pod's volumes, for volume mounts. */
  volumes: ReadonlySet<string>;
  kind: ContainerKind;
}

type Handler = NonNullable<Lifecycle['postStart']> & Pick<Probe, 'grpc'>;

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const RELAXED_ENV_NAME = "a valid environment variable name must consist only of printable ASCII characters other than '='";

export function containerCauses(container: Container, path: string, context: ContainerContext): Cause[] {
  const causes: Cause[] = [];
  const name = container.name;
  if (!name) causes.push(required(child(path, 'name')));
  else {
    causes.push(...dnsLabelCauses(name, child(path, 'name')));
    if (context.names.has(name)) causes.push(duplicate(child(path, 'name'), name));
    else context.names.add(name);
  }
  const image = container.image ?? '';
  if (!image) {
    if (context.kind !== 'ephemeralContainers') causes.push(required(child(path, 'image')));
  } else if (image.trim() !== image) {
    causes.push(invalid(child(path, 'image'), image, 'must not have leading or trailing whitespace'));
  }
  if (container.restartPolicy !== undefined && context.kind !== 'initContainers') {
    causes.push(forbidden(child(path, 'restartPolicy'), 'may not be set for non-init containers'));
  }
  causes.push(...portCauses(container, child(path, 'ports')));
  causes.push(...envCauses(container, child(path, 'env')));
  causes.push(...mountCauses(container, child(path, 'volumeMounts'), context.volumes));
  const probes = [
    ['livenessProbe', container.livenessProbe],
    ['readinessProbe', container.readinessProbe],
    ['startupProbe', container.startupProbe],
  ] as const;
  for (const [field, probe] of probes) if (probe) causes.push(...probeCauses(probe, child(path, field), field));
  for (const hook of ['postStart', 'preStop'] as const) {
    const handler = container.lifecycle?.[hook];
    if (handler) causes.push(...handlerCauses(handler, child(child(path, 'lifecycle'), hook), 'lifecycle'));
  }
  if (container.resources) causes.push(...resourceCauses(container.resources, child(path, 'resources')));
  return causes;
}

function portCauses(container: Container, path: string): Cause[] {
  const causes: Cause[] = [];
  const names = new Set<string>();
  (container.ports ?? []).forEach((port, i) => {
    const at = index(path, i);
    if (port.name) {
      const problems = portNameProblems(port.name);
      if (problems.length > 0) for (const p of problems) causes.push(invalid(child(at, 'name'), port.name, p));
      else if (names.has(port.name)) causes.push(duplicate(child(at, 'name'), port.name));
      else names.add(port.name);
    }
    if (port.containerPort === 0) causes.push(required(child(at, 'containerPort')));
    else causes.push(...portNumberCauses(port.containerPort, child(at, 'containerPort')));
    if (port.hostPort) causes.push(...portNumberCauses(port.hostPort, child(at, 'hostPort')));
    if (!port.protocol) causes.push(required(child(at, 'protocol')));
    else if (!PROTOCOLS.includes(port.protocol)) causes.push(notSupported(child(at, 'protocol'), port.protocol, PROTOCOLS));
  });
  return causes;
}

function envCauses(container: Container, path: string): Cause[] {
  const causes: Cause[] = [];
  (container.env ?? []).forEach((env, i) => {
    const at = index(path, i);
    if (!env.name) causes.push(required(child(at, 'name')));
    else if ([...env.name].some((c) => c === '=' || c < ' ' || c > '~')) causes.push(invalid(child(at, 'name'), env.name, RELAXED_ENV_NAME));
    const source = env.valueFrom;
    if (!source) return;
    const from = child(at, 'valueFrom');
    const kinds = (['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'] as const).filter((k) => source[k] !== undefined);
    if (kinds.length === 0) causes.push(invalid(from, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (kinds.length > 1) causes.push(invalid(from, '', 'may not have more than one field specified at a time'));
    if (env.value) causes.push(invalid(from, '', 'may not be specified when `value` is not empty'));
  });
  return causes;
}

function mountCauses(container: Container, path: string, volumes: ReadonlySet<string>): Cause[] {
  const causes: Cause[] = [];
  const paths = new Set<string>();
  (container.volumeMounts ?? []).forEach((mount, i) => {
    const at = index(path, i);
    if (!mount.name) causes.push(required(child(at, 'name')));
    else if (!volumes.has(mount.name)) causes.push(notFound(child(at, 'name'), mount.name));
    if (!mount.mountPath) causes.push(required(child(at, 'mountPath')));
    else if (paths.has(mount.mountPath)) causes.push(invalid(child(at, 'mountPath'), mount.mountPath, 'must be unique'));
    else paths.add(mount.mountPath);
  });
  return causes;
}

type ProbeField = 'livenessProbe' | 'readinessProbe' | 'startupProbe';

function probeCauses(probe: Probe, path: string, field: ProbeField): Cause[] {
  const causes = handlerCauses(probe, path, 'probe');
  for (const timing of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    causes.push(...nonNegative(probe[timing], child(path, timing)));
  }
  if (field !== 'readinessProbe' && probe.successThreshold !== undefined && probe.successThreshold !== 1) {
    causes.push(invalid(child(path, 'successThreshold'), probe.successThreshold, 'must be 1'));
  }
  const grace = probe.terminationGracePeriodSeconds;
  if (grace !== undefined) {
    if (field === 'readinessProbe') causes.push(invalid(child(path, 'terminationGracePeriodSeconds'), grace, 'must not be set for readinessProbes'));
    else if (grace <= 0) causes.push(invalid(child(path, 'terminationGracePeriodSeconds'), grace, 'must be greater than 0'));
  }
  return causes;
}

/** Exactly one action: exec, httpGet, tcpSocket, plus grpc for probes or sleep for lifecycle hooks. */
function handlerCauses(handler: Handler, path: string, use: 'probe' | 'lifecycle'): Cause[] {
  const causes: Cause[] = [];
  const actions = use === 'probe' ? (['exec', 'httpGet', 'tcpSocket', 'grpc'] as const) : (['exec', 'httpGet', 'tcpSocket', 'sleep'] as const);
  let count = 0;
  for (const action of actions) {
    if (handler[action] === undefined) continue;
    if (count > 0) {
      causes.push(forbidden(child(path, action), 'may not specify more than 1 handler type'));
      continue;
    }
    count++;
    const at = child(path, action);
    if (action === 'exec' && (handler.exec?.command ?? []).length === 0) causes.push(required(child(at, 'command')));
    if (action === 'httpGet' && handler.httpGet) {
      if (!handler.httpGet.path) causes.push(required(child(at, 'path')));
      causes.push(...portNumOrNameCauses(handler.httpGet.port, child(at, 'port')));
    }
    if (action === 'tcpSocket' && handler.tcpSocket) causes.push(...portNumOrNameCauses(handler.tcpSocket.port, child(at, 'port')));
    if (action === 'grpc' && handler.grpc) causes.push(...portNumberCauses(handler.grpc.port, child(at, 'port')));
    if (action === 'sleep' && handler.sleep && handler.sleep.seconds <= 0) causes.push(invalid(child(at, 'seconds'), handler.sleep.seconds, 'must be greater than 0'));
  }
  if (count === 0) causes.push(required(path, 'must specify a handler type'));
  return causes;
}

function resourceCauses(resources: ResourceRequirements, path: string): Cause[] {
  const causes: Cause[] = [];
  const amounts: Record<'limits' | 'requests', Map<string, number>> = { limits: new Map(), requests: new Map() };
  for (const list of ['limits', 'requests'] as const) {
    for (const [name, value] of Object.entries(resources[list] ?? {})) {
      const at = key(child(path, list), name);
      causes.push(...resourceNameCauses(name, at));
      const amount = quantityAmount(value, at, causes);
      if (amount !== undefined) amounts[list].set(name, amount);
    }
  }
  for (const [name, request] of amounts.requests) {
    const limit = amounts.limits.get(name);
    if (limit !== undefined && request > limit) {
      causes.push(
        invalid(key(child(path, 'requests'), name), String(resources.requests![name]), `must be less than or equal to ${name} limit of ${String(resources.limits![name])}`),
      );
    }
  }
  return causes;
}

function resourceNameCauses(name: string, path: string): Cause[] {
  if (name.includes('/')) return isQualifiedName(name).map((p) => invalid(path, name, p));
  if (STANDARD_CONTAINER_RESOURCES.has(name) || name.startsWith('hugepages-')) return [];
  return [invalid(path, name, 'must be a standard resource for containers')];
}
