/**
 * Claims: the allocation state of ClusterIPs and nodePorts, kept in the API as one Lease per
 * allocated value in kube-system, named by the value (as upstream's IPAddress objects are):
 *
 *   Lease kube-system/clusterip-10.96.12.7   holder default/web   label berth.dev/service-uid=<uid>
 *   Lease kube-system/nodeport-30080         holder default/web   label berth.dev/service-uid=<uid>
 *
 * Creating a claim is the allocation: the store refuses a second object of the same name, so two
 * controllers (or two workers) can never hand out one value twice, however stale their caches.
 * The Service is written with its value only after the claim exists, with the resourceVersion it
 * was read at. A claim whose Service is gone, or that the Service no longer uses, is deleted by
 * the holder's own reconcile; one made for a Service that has not been written yet (a crash in
 * between) is found again by its service-uid label and used.
 */
import type { Lease, Service } from '../../src/api/types';

export const CLAIM_NAMESPACE = 'kube-system';
export const CLAIM_KIND_LABEL = 'berth.dev/claim';
export const CLAIM_SERVICE_UID_LABEL = 'berth.dev/service-uid';
/** Index of the claims cache: the `namespace/name` of the holding Service. */
export const HOLDER_INDEX = 'claimHolder';

export type ClaimKind = 'clusterip' | 'nodeport';

export interface Claim {
  kind: ClaimKind;
  /** The IP, or the port as text. */
  value: string;
  holderKey: string;
  holderUid: string;
}

export function claimName(kind: ClaimKind, value: string | number): string {
  return `${kind}-${value}`;
}

export function claimObject(kind: ClaimKind, value: string | number, service: Service): Lease {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: claimName(kind, value),
      namespace: CLAIM_NAMESPACE,
      labels: { [CLAIM_KIND_LABEL]: kind, [CLAIM_SERVICE_UID_LABEL]: service.metadata.uid ?? '' },
    },
    spec: { holderIdentity: `${service.metadata.namespace}/${service.metadata.name}` },
  };
}

/** What a claim Lease says, or undefined for a Lease that is not a claim. */
export function readClaim(lease: Lease): Claim | undefined {
  const kind = lease.metadata.labels?.[CLAIM_KIND_LABEL];
  if (kind !== 'clusterip' && kind !== 'nodeport') return undefined;
  const prefix = `${kind}-`;
  const name = lease.metadata.name ?? '';
  if (!name.startsWith(prefix)) return undefined;
  return {
    kind,
    value: name.slice(prefix.length),
    holderKey: lease.spec?.holderIdentity ?? '',
    holderUid: lease.metadata.labels?.[CLAIM_SERVICE_UID_LABEL] ?? '',
  };
}

/** The label selector of the claims informer. */
export const claimSelector = CLAIM_KIND_LABEL;
