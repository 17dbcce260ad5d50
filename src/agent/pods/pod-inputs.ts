/**
 * The ConfigMaps and Secrets a pod refers to, from informer caches, and the other way round: which
 * pods a changed ConfigMap or Secret concerns (an index on the pod cache), so that a pod waiting
 * for a missing key starts as soon as the key exists and mounted files follow their source.
 */
import { ConfigMap, Pod, Secret } from '../../api/types';
import type { Informer } from '../../client';
import { keyOf } from '../../client';
import { PodInputs, referencedObjects } from '../pod-sync/env';

export const refIndexes = { configMaps: 'agent.configMapRefs', secrets: 'agent.secretRefs' } as const;

/** Adds the indexes `podsReferring` reads to the pod informer. Call once per informer. */
export function indexReferences(pods: Informer<Pod>): void {
  const namespaced = (pod: Pod, names: string[]) => names.map((n) => `${pod.metadata.namespace}/${n}`);
  pods.addIndex(refIndexes.configMaps, (pod) => namespaced(pod, referencedObjects(pod).configMaps));
  pods.addIndex(refIndexes.secrets, (pod) => namespaced(pod, referencedObjects(pod).secrets));
}

/** Keys of the cached pods that refer to this ConfigMap or Secret. */
export function podsReferring(pods: Informer<Pod>, obj: ConfigMap | Secret): string[] {
  const index = obj.kind === 'Secret' ? refIndexes.secrets : refIndexes.configMaps;
  return pods.byIndex(index, keyOf(obj)).map((pod) => keyOf(pod));
}

export class PodInputSource {
  constructor(
    private readonly configMaps: Informer<ConfigMap>,
    private readonly secrets: Informer<Secret>,
  ) {}

  /** What the pod refers to; a name mapped to undefined does not exist (yet). */
  inputsFor(pod: Pod, nodeAllocatable?: Record<string, string>): PodInputs {
    const namespace = pod.metadata.namespace ?? 'default';
    const refs = referencedObjects(pod);
    const inputs: PodInputs = { configMaps: {}, secrets: {}, nodeAllocatable };
    for (const name of refs.configMaps) inputs.configMaps[name] = this.configMaps.get(`${namespace}/${name}`);
    for (const name of refs.secrets) inputs.secrets[name] = this.secrets.get(`${namespace}/${name}`);
    return inputs;
  }
}
