/**
 * What the agent reads about its host: capacity (cpu, memory, ephemeral storage under the data
 * directory), identity (machine and boot ids, kernel, OS image), the address other hosts reach it
 * on, and the readings behind the pressure conditions (available memory, disk, process ids).
 */
import fs from 'node:fs';
import os from 'node:os';
import { BadRequest } from '../../api/errors';
import { parseQuantity } from '../../util/quantity';

/** kubelet's default pod limit per node. */
export const defaultMaxPods = '110';

/** The resources a node offers, as kubelet reports them: cpu in cores, bytes in Ki. */
export function hostCapacity(dataDir: string): Record<string, string> {
  const capacity: Record<string, string> = {
    cpu: String(os.availableParallelism()),
    memory: `${Math.floor(os.totalmem() / 1024)}Ki`,
    pods: defaultMaxPods,
  };
  const disk = diskOf(dataDir);
  if (disk) capacity['ephemeral-storage'] = `${Math.floor(disk.totalBytes / 1024)}Ki`;
  return capacity;
}

const capacityNames = new Set(['cpu', 'memory', 'ephemeral-storage', 'pods']);

/** `cpu=4,memory=8Gi`: resources that override what the host reports (each a valid quantity). */
export function parseCapacity(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq).trim();
    const value = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (!capacityNames.has(name)) throw new BadRequest(`--capacity: unknown resource "${name}": use cpu, memory, ephemeral-storage or pods`);
    try {
      if (parseQuantity(value) < 0) throw new Error('negative');
    } catch {
      throw new BadRequest(`--capacity: ${name}=${JSON.stringify(value)} is not a quantity (e.g. cpu=4, memory=8Gi)`);
    }
    out[name] = value;
  }
  return out;
}

function readTrimmed(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function osImage(): string {
  const release = readTrimmed('/etc/os-release') ?? '';
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(release);
  return pretty?.[1] ?? `${os.type()} ${os.release()}`;
}

/** Go's names for the architecture, as node labels and nodeInfo carry them. */
export function goArch(arch = process.arch): string {
  return ({ x64: 'amd64', ia32: '386', arm: 'arm', arm64: 'arm64', ppc64: 'ppc64le', s390x: 's390x' } as Record<string, string>)[arch] ?? arch;
}

export interface HostIdentity {
  hostname: string;
  machineID: string;
  systemUUID: string;
  bootID: string;
  kernelVersion: string;
  osImage: string;
  operatingSystem: string;
  architecture: string;
}

export function hostIdentity(): HostIdentity {
  const machineID = readTrimmed('/etc/machine-id') ?? readTrimmed('/var/lib/dbus/machine-id') ?? os.hostname();
  return {
    hostname: os.hostname(),
    machineID,
    systemUUID: readTrimmed('/sys/class/dmi/id/product_uuid') ?? machineID,
    bootID: readTrimmed('/proc/sys/kernel/random/boot_id') ?? '',
    kernelVersion: os.release(),
    osImage: osImage(),
    operatingSystem: process.platform,
    architecture: goArch(),
  };
}

/** Interfaces of container networks and bridges: not where other hosts reach this one. */
const virtualInterface = /^(docker|br-|veth|virbr|cni|flannel|cali|vxlan|tun|tap)/;

/** The host's first IPv4 address on a real interface; 127.0.0.1 when it has none. */
export function primaryAddress(): string {
  for (const [name, list] of Object.entries(os.networkInterfaces())) {
    if (virtualInterface.test(name)) continue;
    for (const address of list ?? []) if (address.family === 'IPv4' && !address.internal) return address.address;
  }
  return '127.0.0.1';
}

function diskOf(dir: string): { totalBytes: number; availableBytes: number; inodesFree: number; inodes: number } | undefined {
  try {
    fs.mkdirSync(dir, { recursive: true });
    const s = fs.statfsSync(dir);
    return { totalBytes: s.blocks * s.bsize, availableBytes: s.bavail * s.bsize, inodes: s.files, inodesFree: s.ffree };
  } catch {
    return undefined;
  }
}

/** What the pressure conditions are computed from; a reading the host cannot give is left out. */
export interface PressureReadings {
  memoryAvailableBytes?: number;
  /** Of the data directory's file system, 0–1. */
  diskAvailableFraction?: number;
  inodesFreeFraction?: number;
  /** Processes and threads running, against the kernel's pid_max, 0–1. */
  pidsAvailableFraction?: number;
}

export function readPressure(dataDir: string): PressureReadings {
  const readings: PressureReadings = {};
  const meminfo = readTrimmed('/proc/meminfo');
  const available = meminfo ? /^MemAvailable:\s+(\d+) kB$/m.exec(meminfo) : null;
  readings.memoryAvailableBytes = available ? Number(available[1]) * 1024 : os.freemem();
  const disk = diskOf(dataDir);
  if (disk && disk.totalBytes > 0) readings.diskAvailableFraction = disk.availableBytes / disk.totalBytes;
  if (disk && disk.inodes > 0) readings.inodesFreeFraction = disk.inodesFree / disk.inodes;
  const pidMax = Number(readTrimmed('/proc/sys/kernel/pid_max'));
  const threads = /^\S+ \S+ \S+ \d+\/(\d+)/.exec(readTrimmed('/proc/loadavg') ?? '');
  if (pidMax > 0 && threads) readings.pidsAvailableFraction = 1 - Number(threads[1]) / pidMax;
  return readings;
}
