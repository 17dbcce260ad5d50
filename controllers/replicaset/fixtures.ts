/**
 * Objects and a recording API for the unit tests of the replicaset and deployment reconcilers:
 * seed an ObjectCache with frozen objects, call `reconcile()`, assert the recorded writes.
 */
import type { Obj } from '../../src/api/object';
import type { Pod, ReplicaSet } from '../../src/api/types';
import type { ReconcileContext } from '../../src/client';
import { logger } from '../../src/log';
import { clone } from '../../src/util/json';
import type { JsonPatchOperation } from './claim';
import type { ReplicaSetApi } from './reconciler';
import { controllerRef } from './pod-template';

export const T0 = Date.parse('2025-01-01T00:00:00Z');

export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function context(): ReconcileContext {
  return { signal: new AbortController().signal, log: logger('test'), reconcileId: 'test' };
}

export function replicaSet(name: string, replicas: number, extra: { labels?: Record<string, string>; uid?: string; owner?: Obj; minReadySeconds?: number; generation?: number; status?: ReplicaSet['status'] } = {}): ReplicaSet {
  const labels = extra.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: 'default',
      uid: extra.uid ?? `uid-${name}`,
      resourceVersion: '10',
      generation: extra.generation ?? 1,
      creationTimestamp: iso(T0),
      labels,
      ownerReferences: extra.owner ? [controllerRef(extra.owner)] : undefined,
    },
    spec: {
      replicas,
      minReadySeconds: extra.minReadySeconds,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
    },
    status: extra.status,
  } as ReplicaSet;
}

export interface PodOptions {
  owner?: Obj;
  labels?: Record<string, string>;
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  /** Ready since this time (ms). */
  readySince?: number;
  node?: string;
  created?: number;
  restarts?: number;
  deleting?: boolean;
  uid?: string;
  annotations?: Record<string, string>;
}

export function pod(name: string, options: PodOptions = {}): Pod {
  const conditions = options.readySince !== undefined ? [{ type: 'Ready', status: 'True', lastTransitionTime: iso(options.readySince) }] : [{ type: 'Ready', status: 'False' }];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: options.uid ?? `uid-${name}`,
      resourceVersion: '20',
      creationTimestamp: iso(options.created ?? T0),
      labels: options.labels ?? { app: 'web' },
      annotations: options.annotations,
      ownerReferences: options.owner ? [controllerRef(options.owner)] : undefined,
      deletionTimestamp: options.deleting ? iso(T0) : undefined,
    },
    spec: { nodeName: options.node, containers: [{ name: 'c', image: 'busybox' }] },
    status: {
      phase: options.phase ?? (options.readySince !== undefined ? 'Running' : 'Pending'),
      conditions,
      containerStatuses: options.restarts !== undefined ? [{ name: 'c', ready: options.readySince !== undefined, restartCount: options.restarts, image: 'busybox', imageID: '' }] : undefined,
    },
  } as Pod;
}

export type Write =
  | { verb: 'create'; kind: string; object: Obj }
  | { verb: 'update'; kind: string; object: Obj }
  | { verb: 'updateStatus'; kind: string; object: Obj }
  | { verb: 'patch'; kind: string; name: string; patch: unknown }
  | { verb: 'delete'; kind: string; name: string };

/** A ReplicaSetApi that records every write and answers as the server would, without one. */
export class RecordingReplicaSetApi implements ReplicaSetApi {
  readonly writes: Write[] = [];
  /** What getReplicaSet answers, by name; a missing name is NotFound (undefined). */
  readonly replicaSets = new Map<string, ReplicaSet>();
  /** Makes the n-th create (1-based) fail with this error. */
  failCreate?: { from: number; error: Error };
  private created = 0;

  async getReplicaSet(_namespace: string, name: string): Promise<ReplicaSet | undefined> {
    return this.replicaSets.get(name);
  }

  async updateReplicaSetStatus(rs: ReplicaSet): Promise<ReplicaSet> {
    this.writes.push({ verb: 'updateStatus', kind: 'ReplicaSet', object: clone(rs) });
    return rs;
  }

  async createPod(pod: Pod): Promise<Pod> {
    this.created++;
    if (this.failCreate && this.created >= this.failCreate.from) throw this.failCreate.error;
    const created = { ...clone(pod), metadata: { ...clone(pod.metadata), name: `${pod.metadata.generateName}${String(this.created).padStart(5, 'x')}` } };
    this.writes.push({ verb: 'create', kind: 'Pod', object: created });
    return created;
  }

  async deletePod(pod: Pod): Promise<void> {
    this.writes.push({ verb: 'delete', kind: 'Pod', name: pod.metadata.name! });
  }

  async patchPod(pod: Pod, operations: JsonPatchOperation[]): Promise<Pod> {
    this.writes.push({ verb: 'patch', kind: 'Pod', name: pod.metadata.name!, patch: operations });
    return pod;
  }

  of(verb: Write['verb']): Write[] {
    return this.writes.filter((w) => w.verb === verb);
  }
}
