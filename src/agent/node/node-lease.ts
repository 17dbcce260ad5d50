/**
 * The node's heartbeat: a Lease `kube-node-lease/<node>` held by the node, its renewTime moved
 * forward every 10 s, owned by the Node (so it goes when the Node does). The node lifecycle
 * controller reads it to tell a live agent from a dead one; it is renewed whatever the health of
 * the runtime, since a node whose Docker is down is alive and says so through its conditions.
 */
import { isAlreadyExists, isConflict, isNotFound } from '../../api/errors';
import { Lease, Node } from '../../api/types';
import type { Client } from '../../client';
import { kinds } from '../../client';

export const nodeLeaseNamespace = 'kube-node-lease';

export interface NodeLeaseOptions {
  /** How long the lease is good for without renewal (kubelet: 40 s). */
  durationSeconds?: number;
}

/** RFC 3339 with microseconds, as meta/v1 MicroTime. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class NodeLease {
  private current?: Lease;

  constructor(
    private readonly client: Client,
    private readonly node: string,
    private readonly options: NodeLeaseOptions = {},
  ) {}

  /** Moves renewTime to now, creating the lease (owned by `owner`) if it is missing. */
  async renew(owner: Node | undefined, signal?: AbortSignal, now = Date.now()): Promise<Lease> {
    const leases = this.client.resource(kinds.Lease, nodeLeaseNamespace);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        if (!this.current) this.current = await leases.get(this.node, { signal });
        this.current = await leases.update(this.renewed(this.current, owner, now), { signal });
        return this.current;
      } catch (error) {
        this.current = undefined;
        if (isNotFound(error)) {
          try {
            this.current = await leases.create(this.renewed(undefined, owner, now), { signal });
            return this.current;
          } catch (created) {
            if (!isAlreadyExists(created)) throw created;
          }
        } else if (!isConflict(error)) {
          throw error;
        }
      }
    }
    throw new Error(`the lease ${nodeLeaseNamespace}/${this.node} kept changing under the agent; will renew on the next beat`);
  }

  private renewed(lease: Lease | undefined, owner: Node | undefined, now: number): Lease {
    const ownerReferences =
      lease?.metadata.ownerReferences ??
      (owner?.metadata.uid ? [{ apiVersion: 'v1', kind: 'Node', name: this.node, uid: owner.metadata.uid }] : undefined);
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { ...lease?.metadata, name: this.node, namespace: nodeLeaseNamespace, ...(ownerReferences ? { ownerReferences } : {}) },
      spec: {
        ...lease?.spec,
        holderIdentity: this.node,
        leaseDurationSeconds: this.options.durationSeconds ?? 40,
        renewTime: microTime(now),
      },
    };
  }
}
