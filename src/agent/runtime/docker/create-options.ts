/**
 * Docker create options for a pod's sandbox and its containers, as pure functions of the
 * runtime's specs. The sandbox holds the network (and IPC) namespace: it joins the pod network,
 * or the host's for hostNetwork pods, and carries the hostPort bindings. Containers join its
 * namespaces, so they share the pod's address and localhost.
 */
import Docker from './dockerode';
import { labelKeys, podLabels } from '../labels';
import { ContainerSpec, PodRef, SandboxInfo, SandboxSpec } from '../runtime';

/** Docker names are cosmetic (labels identify); they only need to be unique and readable. */
export function containerName(pod: PodRef, container: string, attempt: number): string {
  const clean = (s: string) => s.replace(/[^a-zA-Z0-9_.-]/g, '-');
  return `berth_${clean(pod.namespace)}_${clean(pod.name)}_${clean(container)}_${attempt}_${pod.uid.slice(0, 8)}`;
}

export interface DockerScope {
  node: string;
  network: string;
  sandboxImage: string;
  /** Added to everything created (tests mark their containers with them). */
  labels: Record<string, string>;
}

export function sandboxOptions(spec: SandboxSpec, scope: DockerScope): Docker.ContainerCreateOptions {
  const labels = { ...scope.labels, ...(spec.labels ?? {}), ...podLabels(scope.node, spec.pod, 'sandbox'), [labelKeys.attempt]: String(spec.attempt) };
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  if (!spec.hostNetwork) {
    for (const port of spec.ports) {
      const key = `${port.containerPort}/${port.protocol.toLowerCase()}`;
      exposed[key] = {};
      (bindings[key] ??= []).push({ HostIp: port.hostIP ?? '', HostPort: String(port.hostPort) });
    }
  }
  return {
    name: containerName(spec.pod, 'sandbox', spec.attempt),
    Image: scope.sandboxImage,
    // docker-init as pid 1 passes the stop signal on, so the sandbox stops at once.
    Cmd: ['/bin/busybox', 'sleep', '2147483647'],
    Labels: labels,
    ...(spec.hostNetwork ? {} : { Hostname: spec.hostname.slice(0, 63) }),
    ExposedPorts: exposed,
    HostConfig: {
      Init: true,
      NetworkMode: spec.hostNetwork ? 'host' : scope.network,
      PortBindings: bindings,
      IpcMode: 'shareable',
      RestartPolicy: { Name: 'no' },
      ExtraHosts: spec.hostAliases.flatMap((alias) => alias.hostnames.map((host) => `${host}:${alias.ip}`)),
      Memory: 16 * 2 ** 20,
    },
  };
}

/** Docker's CPU period: quotas are in microseconds of it, as kubelet sets them. */
const CPU_PERIOD = 100_000;

export function containerOptions(sandbox: SandboxInfo, spec: ContainerSpec, scope: DockerScope): Docker.ContainerCreateOptions {
  const labels: Record<string, string> = {
    ...scope.labels,
    ...(spec.labels ?? {}),
    ...podLabels(scope.node, spec.pod, spec.kind),
    [labelKeys.containerName]: spec.name,
    [labelKeys.specHash]: spec.specHash,
    [labelKeys.attempt]: String(spec.attempt),
    [labelKeys.image]: spec.image,
  };
  const { resources, security } = spec;
  // Requests have no Docker limit to become; they are kept on the container for the record.
  if (resources.cpuRequestMillis !== undefined) labels[labelKeys.cpuRequest] = String(resources.cpuRequestMillis);
  if (resources.memoryRequestBytes !== undefined) labels[labelKeys.memoryRequest] = String(resources.memoryRequestBytes);

  const host: Docker.HostConfig = {
    NetworkMode: `container:${sandbox.id}`,
    IpcMode: `container:${sandbox.id}`,
    RestartPolicy: { Name: 'no' },
    Mounts: spec.mounts.map((m) => ({ Type: 'bind' as const, Source: m.hostPath, Target: m.containerPath, ReadOnly: m.readOnly })),
    LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } },
  };
  if (resources.cpuLimitMillis !== undefined) {
    host.CpuPeriod = CPU_PERIOD;
    host.CpuQuota = Math.max(1000, Math.round((resources.cpuLimitMillis * CPU_PERIOD) / 1000));
  }
  if (resources.cpuRequestMillis !== undefined) host.CpuShares = Math.max(2, Math.round((resources.cpuRequestMillis * 1024) / 1000));
  if (resources.memoryLimitBytes !== undefined) {
    host.Memory = resources.memoryLimitBytes;
    // No swap beyond the limit: a container over its memory is OOMKilled, as upstream.
    host.MemorySwap = resources.memoryLimitBytes;
  }
  if (security.readOnlyRootFilesystem) host.ReadonlyRootfs = true;
  if (security.privileged) host.Privileged = true;
  if (security.capabilitiesAdd) host.CapAdd = security.capabilitiesAdd;
  if (security.capabilitiesDrop) host.CapDrop = security.capabilitiesDrop;
  if (security.noNewPrivileges) host.SecurityOpt = ['no-new-privileges'];

  const options: Docker.ContainerCreateOptions = {
    name: containerName(spec.pod, spec.name, spec.attempt),
    Image: spec.image,
    Env: spec.env.map((v) => `${v.name}=${v.value}`),
    Labels: labels,
    Tty: spec.tty === true,
    OpenStdin: spec.stdin === true,
    HostConfig: host,
  };
  // command replaces the image's ENTRYPOINT (and drops its CMD); args replace CMD — upstream's rule.
  if (spec.command) options.Entrypoint = spec.command;
  if (spec.args) options.Cmd = spec.args;
  if (spec.workingDir) options.WorkingDir = spec.workingDir;
  if (security.user !== undefined) options.User = security.group !== undefined ? `${security.user}:${security.group}` : String(security.user);
  return options;
}
