/**
 * Shared by the deployment controller tests: manifests, marking pods ready through /status (there
 * is no agent), waiting on status, and a watch that keeps a live picture of a Deployment's pods.
 */
import type { Deployment, Pod, ReplicaSet } from '../../src/api/types';
import { kinds } from '../../src/client';
import type { Client } from '../../src/client';
import { eventually } from '../support/control-plane';

export const IMAGE = 'berth-test/busybox:1.35';

export function deployment(name: string, replicas: number, extra: Partial<NonNullable<Deployment['spec']>> & { image?: string } = {}): Deployment {
  const { image, ...spec } = extra;
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: image ?? IMAGE, command: ['sleep', '3600'] }] } },
      ...spec,
    },
  };
}

function isReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export class Workloads {
  constructor(readonly client: Client) {}

  get deployments() {
    return this.client.resource(kinds.Deployment, 'default');
  }
  get replicaSets() {
    return this.client.resource(kinds.ReplicaSet, 'default');
  }
  get pods() {
    return this.client.resource(kinds.Pod, 'default');
  }

  async podsOf(app: string): Promise<Pod[]> {
    return (await this.pods.list({ labelSelector: `app=${app}` })).items;
  }

  /** The app's ReplicaSets, lowest revision first. */
  async replicaSetsOf(app: string): Promise<ReplicaSet[]> {
    const revision = (rs: ReplicaSet) => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
    return (await this.replicaSets.list({ labelSelector: `app=${app}` })).items.sort((a, b) => revision(a) - revision(b));
  }

  /** Marks a pod Running and Ready, as an agent would after its readiness probe passed. */
  async markReady(pod: Pod): Promise<void> {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const current = await this.pods.get(pod.metadata.name!);
    await this.pods.updateStatus({ ...current, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } });
  }

  /** Marks every pod of the app that is not ready yet. */
  async markAllReady(app: string): Promise<number> {
    const waiting = (await this.podsOf(app)).filter((p) => !isReady(p));
    for (const pod of waiting) await this.markReady(pod);
    return waiting.length;
  }

  async deploymentWhen(name: string, what: string, check: (d: Deployment) => boolean, timeoutMs = 20_000): Promise<Deployment> {
    return eventually(
      `Deployment ${name}: ${what}`,
      async () => {
        const d = await this.deployments.get(name);
        return check(d) ? d : undefined;
      },
      timeoutMs,
    );
  }

  /** Waits until the rollout is complete as `kubectl rollout status` judges it, marking new pods ready as they come. */
  async rollOut(name: string, timeoutMs = 20_000): Promise<Deployment> {
    return eventually(
      `Deployment ${name} rolled out`,
      async () => {
        await this.markAllReady(name);
        const d = await this.deployments.get(name);
        return rolledOut(d) ? d : undefined;
      },
      timeoutMs,
    );
  }
}

/** `kubectl rollout status`'s test for done. */
export function rolledOut(d: Deployment): boolean {
  const s = d.status ?? {};
  const replicas = d.spec?.replicas ?? 1;
  return (
    (d.metadata.generation ?? 0) <= (s.observedGeneration ?? 0) &&
    (s.updatedReplicas ?? 0) >= replicas &&
    (s.replicas ?? 0) <= (s.updatedReplicas ?? 0) &&
    (s.availableReplicas ?? 0) >= (s.updatedReplicas ?? 0)
  );
}

export { isReady };
