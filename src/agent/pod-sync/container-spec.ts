/**
 * Turns a container of a pod spec into what a runtime runs: environment resolved, volume mounts
 * as host paths, resources as numbers, the security context merged with the pod's, labels for
 * adoption. Refuses what this node does not allow (privileged containers without the flag,
 * runAsNonRoot with uid 0) as kubelet does, with CreateContainerConfigError.
 */
import path from 'node:path';
import { Container, Pod } from '../../api/types';
import { amount } from '../../util/quantity';
import { ContainerConfigError } from '../runtime/errors';
import { specHash } from '../runtime/labels';
import { ContainerKind, ContainerSpec, Mount, PodRef, PullPolicy } from '../runtime/runtime';
import { expand, PodFields, PodInputs, resolveEnv } from './env';

export interface SpecOptions {
  kind: ContainerKind;
  attempt: number;
  fields: PodFields;
  inputs: PodInputs;
  /** Volume name → host path, from preparePodVolumes. */
  volumes: Record<string, string>;
  allowPrivileged: boolean;
  labels?: Record<string, string>;
}

/** Upstream's default: Always for :latest or no tag, IfNotPresent otherwise. */
export function pullPolicyOf(container: Container): PullPolicy {
  if (container.imagePullPolicy) return container.imagePullPolicy;
  const image = container.image ?? '';
  if (image.includes('@')) return 'IfNotPresent';
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastPart.includes(':') ? lastPart.slice(lastPart.indexOf(':') + 1) : 'latest';
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function mounts(pod: Pod, container: Container, volumes: Record<string, string>, env: Map<string, string>): Mount[] {
  return (container.volumeMounts ?? []).map((mount) => {
    const hostPath = volumes[mount.name];
    if (hostPath === undefined) {
      throw new ContainerConfigError(`cannot find volume "${mount.name}" to mount into container "${container.name}"`);
    }
    const subPath = mount.subPathExpr ? expand(mount.subPathExpr, env) : mount.subPath;
    if (subPath && (path.isAbsolute(subPath) || subPath.split('/').includes('..'))) {
      throw new ContainerConfigError(`subPath "${subPath}" of volume "${mount.name}" must be a relative path without '..'`);
    }
    return {
      hostPath: subPath ? path.join(hostPath, subPath) : hostPath,
      containerPath: mount.mountPath,
      readOnly: mount.readOnly === true,
    };
  });
}

function resources(container: Container): ContainerSpec['resources'] {
  const limits = container.resources?.limits ?? {};
  const requests = { ...limits, ...(container.resources?.requests ?? {}) };
  const out: ContainerSpec['resources'] = {};
  if (limits.cpu !== undefined) out.cpuLimitMillis = amount('cpu', limits.cpu);
  if (limits.memory !== undefined) out.memoryLimitBytes = amount('memory', limits.memory);
  if (requests.cpu !== undefined) out.cpuRequestMillis = amount('cpu', requests.cpu);
  if (requests.memory !== undefined) out.memoryRequestBytes = amount('memory', requests.memory);
  return out;
}

function security(pod: Pod, container: Container, allowPrivileged: boolean): ContainerSpec['security'] {
  const podContext = pod.spec?.securityContext ?? {};
  const context = container.securityContext ?? {};
  const user = context.runAsUser ?? podContext.runAsUser;
  const group = context.runAsGroup ?? podContext.runAsGroup;
  const where = `(pod: "${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})", container: ${container.name})`;
  if (context.privileged && !allowPrivileged) {
    throw new ContainerConfigError(
      `privileged containers are not allowed on this node ${where}; start the agent with --allow-privileged to allow them`,
    );
  }
  if ((context.runAsNonRoot ?? podContext.runAsNonRoot) && user === 0) {
    throw new ContainerConfigError(`container's runAsUser breaks non-root policy ${where}`);
  }
  const out: ContainerSpec['security'] = {};
  if (user !== undefined) out.user = user;
  if (group !== undefined) out.group = group;
  if (context.readOnlyRootFilesystem) out.readOnlyRootFilesystem = true;
  if (context.privileged) out.privileged = true;
  if (context.capabilities?.add?.length) out.capabilitiesAdd = context.capabilities.add;
  if (context.capabilities?.drop?.length) out.capabilitiesDrop = context.capabilities.drop;
  if (context.allowPrivilegeEscalation === false) out.noNewPrivileges = true;
  return out;
}

export function containerSpec(pod: Pod, ref: PodRef, container: Container, options: SpecOptions): ContainerSpec {
  if (!container.image) throw new ContainerConfigError(`container "${container.name}" has no image`);
  const env = resolveEnv(pod, container, options.inputs, options.fields);
  const envMap = new Map(env.map((v) => [v.name, v.value]));
  const spec: ContainerSpec = {
    pod: ref,
    name: container.name,
    kind: options.kind,
    attempt: options.attempt,
    specHash: specHash(container),
    image: container.image,
    env,
    mounts: mounts(pod, container, options.volumes, envMap),
    resources: resources(container),
    security: security(pod, container, options.allowPrivileged),
  };
  // $(VAR) in command and args expands from the container's environment, as upstream does.
  if (container.command) spec.command = container.command.map((part) => expand(part, envMap));
  if (container.args) spec.args = container.args.map((part) => expand(part, envMap));
  if (container.workingDir) spec.workingDir = container.workingDir;
  if (container.tty) spec.tty = true;
  if (container.stdin) spec.stdin = true;
  if (options.labels) spec.labels = options.labels;
  return spec;
}
