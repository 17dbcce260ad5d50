/** The pod's quality-of-service class, as upstream derives it from requests and limits. */
import { Container, PodSpec } from '../../api/types';
import { amount } from '../../util/quantity';

const computeResources = ['cpu', 'memory'];

/**
 * Guaranteed: every container limits cpu and memory, with requests (when given) equal to them.
 * BestEffort: no container requests or limits cpu or memory. Burstable: anything between.
 */
export function qosClass(spec: PodSpec): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers: Container[] = [...(spec.initContainers ?? []), ...spec.containers];
  let any = false;
  let guaranteed = true;
  for (const container of containers) {
    const requests = container.resources?.requests ?? {};
    const limits = container.resources?.limits ?? {};
    for (const resource of computeResources) {
      const request = requests[resource];
      const limit = limits[resource];
      if (request !== undefined || limit !== undefined) any = true;
      if (limit === undefined) {
        guaranteed = false;
        continue;
      }
      if (request !== undefined && amount(resource, request) !== amount(resource, limit)) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
