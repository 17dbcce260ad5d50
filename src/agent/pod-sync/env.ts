/**
 * A container's environment, resolved as kubelet resolves it: envFrom sources first (each key,
 * with its prefix), then env entries in order, each value with $(VAR) references to the
 * variables before it expanded; values from ConfigMap and Secret keys, from the pod's fields
 * (fieldRef) and from the container's resources (resourceFieldRef). The caller supplies the
 * ConfigMaps and Secrets the pod refers to (referencedObjects names them).
 */
import { ConfigMap, Container, Pod, Secret } from '../../api/types';
import { amount, parseQuantity } from '../../util/quantity';
import { ContainerConfigError } from '../runtime/errors';

/** The objects a pod refers to, by name; a name mapped to undefined does not exist. */
export interface PodInputs {
  configMaps: Record<string, ConfigMap | undefined>;
  secrets: Record<string, Secret | undefined>;
  /** Service variables (FOO_SERVICE_HOST ...) when the agent provides them; env entries win. */
  serviceEnv?: Record<string, string>;
  /** What resourceFieldRef reports for a limit the container does not set. */
  nodeAllocatable?: Record<string, string>;
}

export const noInputs: PodInputs = { configMaps: {}, secrets: {} };

export interface EnvVar {
  name: string;
  value: string;
}

/** Every ConfigMap and Secret the pod's containers and volumes refer to. */
export function referencedObjects(pod: Pod): { configMaps: string[]; secrets: string[] } {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  const spec = pod.spec;
  for (const container of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
    for (const source of container.envFrom ?? []) {
      if (source.configMapRef?.name) configMaps.add(source.configMapRef.name);
      if (source.secretRef?.name) secrets.add(source.secretRef.name);
    }
    for (const variable of container.env ?? []) {
      const from = variable.valueFrom;
      if (from?.configMapKeyRef?.name) configMaps.add(from.configMapKeyRef.name);
      if (from?.secretKeyRef?.name) secrets.add(from.secretKeyRef.name);
    }
  }
  for (const volume of spec?.volumes ?? []) {
    if (volume.configMap?.name) configMaps.add(volume.configMap.name);
    if (volume.secret?.secretName) secrets.add(volume.secret.secretName);
    for (const source of volume.projected?.sources ?? []) {
      if (source.configMap?.name) configMaps.add(source.configMap.name);
      if (source.secret?.name) secrets.add(source.secret.name);
    }
  }
  return { configMaps: [...configMaps], secrets: [...secrets] };
}

/** The values of a ConfigMap (data and binaryData) or a Secret (data, base64 on the wire). */
export function configMapValues(configMap: ConfigMap): Record<string, Buffer> {
  const values: Record<string, Buffer> = {};
  for (const [key, value] of Object.entries(configMap.data ?? {})) values[key] = Buffer.from(value, 'utf8');
  for (const [key, value] of Object.entries(configMap.binaryData ?? {})) values[key] = Buffer.from(value, 'base64');
  return values;
}

export function secretValues(secret: Secret): Record<string, Buffer> {
  const values: Record<string, Buffer> = {};
  const data = (secret as { data?: Record<string, string> }).data ?? {};
  for (const [key, value] of Object.entries(data)) values[key] = Buffer.from(value, 'base64');
  return values;
}

/**
 * Expands $(VAR) with the variables defined so far; $$ escapes a $; an unknown reference stays
 * as written (upstream's expansion.Expand).
 */
export function expand(input: string, vars: Map<string, string>): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (ch !== '$' || i + 1 >= input.length) {
      out += ch;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, close);
      out += vars.has(name) ? vars.get(name) : `$(${name})`;
      i = close;
    } else {
      out += ch;
    }
  }
  return out;
}

export interface PodFields {
  podIP?: string;
  hostIP?: string;
}

/** A pod field for fieldRef: metadata.name, metadata.labels['app'], status.podIP, ... */
export function podField(pod: Pod, path: string, fields: PodFields): string {
  const keyed = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (keyed) {
    const map = keyed[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations;
    return map?.[keyed[2]] ?? '';
  }
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name ?? '';
    case 'metadata.namespace':
      return pod.metadata.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'metadata.labels':
    case 'metadata.annotations': {
      const map = path === 'metadata.labels' ? pod.metadata.labels : pod.metadata.annotations;
      return Object.entries(map ?? {})
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join('\n');
    }
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
    case 'status.hostIPs':
      return fields.hostIP ?? '';
    case 'status.podIP':
    case 'status.podIPs':
      return fields.podIP ?? '';
    default:
      throw new ContainerConfigError(`unsupported fieldPath: ${path}`);
  }
}

/** A container resource for resourceFieldRef, rounded up in units of the divisor. */
export function resourceField(
  container: Container,
  resource: string,
  divisor: string | number | undefined,
  nodeAllocatable: Record<string, string> = {},
): string {
  const [kind, name] = resource.split('.', 2);
  if ((kind !== 'limits' && kind !== 'requests') || !name) throw new ContainerConfigError(`unsupported container resource: ${resource}`);
  const limits = container.resources?.limits ?? {};
  const requests = container.resources?.requests ?? {};
  const given = kind === 'limits' ? limits[name] ?? nodeAllocatable[name] : requests[name] ?? limits[name];
  if (given === undefined) return '0';
  const value = parseQuantity(given);
  const by = divisor === undefined ? 1 : parseQuantity(divisor);
  if (by <= 0) throw new ContainerConfigError(`divisor of ${resource} must be positive`);
  // cpu in millicores avoids floating error when the divisor is 1m.
  if (name === 'cpu') return String(Math.ceil(amount('cpu', given) / Math.round(by * 1000)));
  return String(Math.ceil(value / by));
}

/** The container's resolved environment; a missing non-optional source is a ContainerConfigError. */
export function resolveEnv(pod: Pod, container: Container, inputs: PodInputs, fields: PodFields): EnvVar[] {
  const namespace = pod.metadata.namespace ?? 'default';
  const vars = new Map<string, string>(Object.entries(inputs.serviceEnv ?? {}));

  const configMap = (name: string, optional: boolean | undefined): Record<string, Buffer> | undefined => {
    const found = inputs.configMaps[name];
    if (!found) {
      if (optional) return undefined;
      throw new ContainerConfigError(`configmap "${name}" not found`);
    }
    return configMapValues(found);
  };
  const secret = (name: string, optional: boolean | undefined): Record<string, Buffer> | undefined => {
    const found = inputs.secrets[name];
    if (!found) {
      if (optional) return undefined;
      throw new ContainerConfigError(`secret "${name}" not found`);
    }
    return secretValues(found);
  };

  for (const source of container.envFrom ?? []) {
    const values = source.configMapRef
      ? configMap(source.configMapRef.name ?? '', source.configMapRef.optional)
      : source.secretRef
        ? secret(source.secretRef.name ?? '', source.secretRef.optional)
        : undefined;
    for (const [key, value] of Object.entries(values ?? {})) {
      const name = `${source.prefix ?? ''}${key}`;
      // Keys that are not valid variable names are skipped, as upstream does (with an event).
      if (/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name)) vars.set(name, value.toString('utf8'));
    }
  }

  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    if (!from) {
      vars.set(variable.name, expand(variable.value ?? '', vars));
      continue;
    }
    if (from.fieldRef) {
      vars.set(variable.name, podField(pod, from.fieldRef.fieldPath, fields));
    } else if (from.resourceFieldRef) {
      const ref = from.resourceFieldRef;
      vars.set(variable.name, resourceField(container, ref.resource, ref.divisor, inputs.nodeAllocatable));
    } else if (from.configMapKeyRef) {
      const ref = from.configMapKeyRef;
      const values = configMap(ref.name ?? '', ref.optional);
      if (!values) continue;
      if (!(ref.key in values)) {
        if (ref.optional) continue;
        throw new ContainerConfigError(`couldn't find key ${ref.key} in ConfigMap ${namespace}/${ref.name}`);
      }
      vars.set(variable.name, values[ref.key].toString('utf8'));
    } else if (from.secretKeyRef) {
      const ref = from.secretKeyRef;
      const values = secret(ref.name ?? '', ref.optional);
      if (!values) continue;
      if (!(ref.key in values)) {
        if (ref.optional) continue;
        throw new ContainerConfigError(`couldn't find key ${ref.key} in Secret ${namespace}/${ref.name}`);
      }
      vars.set(variable.name, values[ref.key].toString('utf8'));
    }
  }
  return [...vars].map(([name, value]) => ({ name, value }));
}
