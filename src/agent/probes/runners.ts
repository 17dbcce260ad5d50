/**
 * The three probe actions: httpGet (200-399 passes), tcpSocket (a connection passes), exec
 * (exit 0 passes, through the runtime). Probes only go to loopback or the pods' own networks:
 * the agent never becomes a way to reach elsewhere.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { ContainerPort, Probe } from '../../api/types';
import { ContainerRuntime } from '../runtime/runtime';
import { ProbeOutcome } from './probe-state';

export interface ProbeTarget {
  containerId: string;
  podIP?: string;
  hostNetwork: boolean;
  ports: ContainerPort[];
}

export interface ProbeResult {
  outcome: ProbeOutcome;
  output: string;
}

export type ProbeRunner = (probe: Probe, target: ProbeTarget, timeoutMs: number) => Promise<ProbeResult>;

const failure = (output: string): ProbeResult => ({ outcome: 'failure', output });

function ipv4ToNumber(ip: string): number | undefined {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

/** Whether an IPv4 address lies in a CIDR block ("10.88.0.0/16"). */
export function inSubnet(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const address = ipv4ToNumber(ip);
  const network = ipv4ToNumber(base);
  const size = Number(bits ?? '32');
  if (address === undefined || network === undefined || !(size >= 0 && size <= 32)) return false;
  const mask = size === 0 ? 0 : (~0 << (32 - size)) >>> 0;
  return ((address & mask) >>> 0) === ((network & mask) >>> 0);
}

function resolvePort(port: number | string, ports: ContainerPort[]): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  return ports.find((p) => p.name === port)?.containerPort;
}

/** The address a network probe goes to, or why it may not go anywhere. */
export function probeHost(host: string | undefined, target: ProbeTarget, subnets: string[]): { host: string } | { refused: string } {
  let address = host ?? (target.hostNetwork ? '127.0.0.1' : target.podIP);
  if (!address) return { refused: 'the pod has no IP yet' };
  if (address === 'localhost') address = '127.0.0.1';
  if (inSubnet(address, '127.0.0.0/8') || subnets.some((subnet) => inSubnet(address!, subnet))) return { host: address };
  return { refused: `probe host ${address} is outside 127.0.0.0/8 and the pod network (${subnets.join(', ') || 'none'})` };
}

function httpProbe(probe: NonNullable<Probe['httpGet']>, host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  const scheme = probe.scheme ?? 'HTTP';
  const headers: Record<string, string> = { 'User-Agent': 'kube-probe/1.32', Accept: '*/*' };
  for (const header of probe.httpHeaders ?? []) headers[header.name] = header.value;
  const path = probe.path ? (probe.path.startsWith('/') ? probe.path : `/${probe.path}`) : '/';
  return new Promise((resolve) => {
    const get = scheme === 'HTTPS' ? https.get : http.get;
    const request = get(
      { host, port, path, headers, timeout: timeoutMs, ...(scheme === 'HTTPS' ? { rejectUnauthorized: false } : {}) },
      (response) => {
        response.resume();
        const code = response.statusCode ?? 0;
        if (code >= 200 && code < 400) resolve({ outcome: 'success', output: `HTTP probe succeeded with statuscode: ${code}` });
        else resolve(failure(`HTTP probe failed with statuscode: ${code}`));
      },
    );
    request.on('timeout', () => {
      request.destroy();
      resolve(failure(`Get "${scheme.toLowerCase()}://${host}:${port}${path}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`));
    });
    request.on('error', (error) => resolve(failure(`Get "${scheme.toLowerCase()}://${host}:${port}${path}": ${error.message}`)));
  });
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(failure(`dial tcp ${host}:${port}: i/o timeout`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ outcome: 'success', output: '' });
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      resolve(failure(`dial tcp ${host}:${port}: ${error.message}`));
    });
  });
}

/** A runner that probes for real through the given runtime. */
export function probeRunner(runtime: ContainerRuntime): ProbeRunner {
  return async (probe, target, timeoutMs) => {
    if (probe.exec) {
      const result = await runtime.exec(target.containerId, probe.exec.command ?? [], timeoutMs);
      if (result.timedOut) return failure(`command timed out after ${timeoutMs / 1000}s`);
      return { outcome: result.exitCode === 0 ? 'success' : 'failure', output: result.output };
    }
    const action = probe.httpGet ?? probe.tcpSocket;
    if (!action) return failure(probe.grpc ? 'gRPC probes are not supported by berth' : 'the probe has no action');
    const port = resolvePort(action.port, target.ports);
    if (port === undefined) return failure(`port "${action.port}" is not a port of the container`);
    const where = probeHost(action.host, target, runtime.podSubnets());
    if ('refused' in where) return failure(where.refused);
    return probe.httpGet ? httpProbe(probe.httpGet, where.host, port, timeoutMs) : tcpProbe(where.host, port, timeoutMs);
  };
}

/** For simulated nodes: every probe passes. */
export const passingRunner: ProbeRunner = async () => ({ outcome: 'success', output: '' });
