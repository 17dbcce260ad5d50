/**
 * Every controller loop berth has, by name. `berth controllers --only a,b` and `berth up` run them
 * through one Manager (shared informers, one leader-election Lease per process).
 */
import type { ControllerDeclaration, ControllerTools } from '../src/client';
import { cronJobEntry } from './cronjob';
import { deploymentEntry } from './deployment';
import { endpointsEntry } from './endpoints';
import { endpointSliceEntry } from './endpointslice';
import { garbageCollectorEntry } from './garbage-collector';
import { jobEntry } from './job';
import { nodeLifecycleEntry } from './node-lifecycle';
import { placementEntry } from './placement';
import { replicaSetEntry } from './replicaset';
import { serviceEntry } from './service';

/** Settings a controller may read; each has a default so `berth controllers` needs none. */
export interface ControllerSettings {
  /** A node whose Lease is older than this becomes Ready=Unknown (default 40 s). */
  nodeMonitorGracePeriodMs: number;
  /** Pods on an unreachable node are evicted after their toleration, by default this long (300 s). */
  podEvictionTimeoutMs: number;
  /** ClusterIPs are allocated from this range (default 10.96.0.0/12). */
  serviceClusterIpRange: string;
  /** nodePorts are allocated from this range (default 30000-32767). */
  nodePortRange: string;
  /** Placement: spread pods over nodes (least allocated) or bin-pack them (most allocated). */
  placementStrategy: 'spread' | 'binpack';
  /** The clock controllers read, in ms since the epoch (default Date.now); tests inject one. */
  now?: () => number;
  /** The Job controller waits this long before replacing the first failed pod, doubling to 6 minutes (default 10 s, upstream's). */
  jobPodBackoffMs?: number;
}

export const defaultControllerSettings: ControllerSettings = {
  nodeMonitorGracePeriodMs: 40_000,
  podEvictionTimeoutMs: 300_000,
  serviceClusterIpRange: '10.96.0.0/12',
  nodePortRange: '30000-32767',
  placementStrategy: 'spread',
};

export interface ControllerEntry {
  name: string;
  description: string;
  /** One loop; a controller with several loops (service and endpoints) registers one entry each. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  create(tools: ControllerTools, settings: ControllerSettings): ControllerDeclaration<any>;
}

/** The controllers, in the order they are started. Each folder adds its entry here. */
export const controllerEntries: ControllerEntry[] = [serviceEntry, endpointsEntry, endpointSliceEntry, replicaSetEntry, deploymentEntry, jobEntry, cronJobEntry, placementEntry, nodeLifecycleEntry, garbageCollectorEntry];

export function controllerNames(): string[] {
  return controllerEntries.map((e) => e.name);
}

/** The entries named in `only` (all when undefined); an unknown name is an error listing the known ones. */
export function selectControllers(only: string[] | undefined): ControllerEntry[] {
  if (!only) return controllerEntries;
  const unknown = only.filter((n) => !controllerEntries.some((e) => e.name === n));
  if (unknown.length > 0) throw new Error(`unknown controller(s) ${unknown.join(', ')}: choose from ${controllerNames().join(', ')}`);
  return controllerEntries.filter((e) => only.includes(e.name));
}
