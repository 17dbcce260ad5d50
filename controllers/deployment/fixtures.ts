/**
 * Deployments, their ReplicaSets and a recording API for the deployment unit tests.
 */
import { AlreadyExists } from '../../src/api/errors';
import type { Deployment, ReplicaSet } from '../../src/api/types';
import { clone } from '../../src/util/json';
import { controllerRef, JsonPatchOperation } from '../replicaset';
import { iso, T0, Write } from '../replicaset/fixtures';
import { podTemplateHash } from './hash';
import type { DeploymentApi } from './rollout';

export { context, iso, pod, T0 } from '../replicaset/fixtures';

type Spec = NonNullable<Deployment['spec']>;

export function deployment(name: string, replicas: number, extra: Partial<Spec> & { image?: string; generation?: number; status?: Deployment['status']; annotations?: Record<string, string> } = {}): Deployment {
  const { image, generation, status, annotations, ...spec } = extra;
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '5', generation: generation ?? 1, creationTimestamp: iso(T0), annotations },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: image ?? 'v1' }] } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      ...spec,
    },
    status,
  } as Deployment;
}

/** A ReplicaSet of `d` running `image`, as the controller would have made it. */
export function ownedReplicaSet(
  d: Deployment,
  image: string,
  replicas: number,
  extra: { revision?: number; available?: number; actual?: number; created?: number; annotations?: Record<string, string> } = {},
): ReplicaSet {
  const template = clone(d.spec!.template);
  template.spec!.containers[0].image = image;
  const hash = podTemplateHash(template);
  const labels = { ...template.metadata!.labels, 'pod-template-hash': hash };
  template.metadata = { ...template.metadata, labels };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: 'default',
      uid: `uid-${d.metadata.name}-${image}`,
      resourceVersion: '7',
      generation: 1,
      creationTimestamp: iso(extra.created ?? T0),
      labels,
      annotations: { 'deployment.kubernetes.io/revision': String(extra.revision ?? 1), ...extra.annotations },
      ownerReferences: [controllerRef(d)],
    },
    spec: { replicas, selector: { matchLabels: labels }, template },
    status: { replicas: extra.actual ?? replicas, readyReplicas: extra.available ?? replicas, availableReplicas: extra.available ?? replicas, observedGeneration: 1 },
  } as ReplicaSet;
}

/** A DeploymentApi that records every write and answers as the server would. */
export class RecordingDeploymentApi implements DeploymentApi {
  readonly writes: Write[] = [];
  readonly existing = new Map<string, ReplicaSet>();
  /** What getDeployment answers, by name. */
  readonly deployments = new Map<string, Deployment>();
  private version = 100;

  async getDeployment(_namespace: string, name: string): Promise<Deployment | undefined> {
    return this.deployments.get(name);
  }

  async updateDeploymentStatus(d: Deployment): Promise<Deployment> {
    this.writes.push({ verb: 'updateStatus', kind: 'Deployment', object: clone(d) });
    return this.bump(d);
  }

  async setDeploymentRevision(d: Deployment, revision: string): Promise<Deployment> {
    this.writes.push({ verb: 'patch', kind: 'Deployment', name: d.metadata.name!, patch: { revision } });
    const next = this.bump(d);
    next.metadata.annotations = { ...next.metadata.annotations, 'deployment.kubernetes.io/revision': revision };
    next.metadata.generation = (next.metadata.generation ?? 1) + 1;
    return next;
  }

  async createReplicaSet(rs: ReplicaSet): Promise<ReplicaSet> {
    if (this.existing.has(rs.metadata.name!)) throw new AlreadyExists(`replicasets.apps "${rs.metadata.name}" already exists`);
    this.writes.push({ verb: 'create', kind: 'ReplicaSet', object: clone(rs) });
    const created = this.bump(rs);
    created.metadata.uid = `uid-${rs.metadata.name}`;
    return created;
  }

  async updateReplicaSet(rs: ReplicaSet): Promise<ReplicaSet> {
    this.writes.push({ verb: 'update', kind: 'ReplicaSet', object: clone(rs) });
    return this.bump(rs);
  }

  async deleteReplicaSet(rs: ReplicaSet): Promise<void> {
    this.writes.push({ verb: 'delete', kind: 'ReplicaSet', name: rs.metadata.name! });
  }

  async patchReplicaSet(rs: ReplicaSet, operations: JsonPatchOperation[]): Promise<ReplicaSet> {
    this.writes.push({ verb: 'patch', kind: 'ReplicaSet', name: rs.metadata.name!, patch: operations });
    return rs;
  }

  of(verb: Write['verb']): Write[] {
    return this.writes.filter((w) => w.verb === verb);
  }

  /** What each ReplicaSet update set its size to, as `name=replicas`. */
  get scalings(): string[] {
    return this.writes.flatMap((w) => (w.verb === 'update' && w.kind === 'ReplicaSet' ? [`${w.object.metadata.name}=${(w.object as ReplicaSet).spec?.replicas}`] : []));
  }

  get statuses(): NonNullable<Deployment['status']>[] {
    return this.writes.flatMap((w) => (w.verb === 'updateStatus' ? [(w.object as Deployment).status ?? {}] : []));
  }

  private bump<T extends { metadata: { resourceVersion?: string } }>(obj: T): T {
    const next = clone(obj);
    next.metadata.resourceVersion = String(++this.version);
    return next;
  }
}
