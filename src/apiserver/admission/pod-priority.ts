/**
 * Upstream's Priority admission plugin: a pod gets the integer priority of its
 * `priorityClassName` and may preempt lower priorities unless it says otherwise. berth serves no
 * PriorityClass kind, so only the two built-in system classes carry a value; every other pod (no
 * class, or a class berth does not know) gets 0, the value upstream uses when no default class
 * exists.
 */
import type { Pod } from '../../api/types';
import { onKind } from './kinds';

export const SYSTEM_PRIORITIES: Readonly<Record<string, number>> = {
  'system-node-critical': 2000001000,
  'system-cluster-critical': 2000000000,
};

export const podPriority = onKind('pod-priority', '', 'Pod', {
  mutate(obj, { old }) {
    const spec = (obj as Pod).spec;
    if (!spec) return;
    const previous = (old as Pod | undefined)?.spec;
    if (previous) {
      // A pod's priority is fixed when it is created; an update that leaves it out keeps it.
      if (spec.priority === undefined && previous.priority !== undefined) spec.priority = previous.priority;
      if (spec.preemptionPolicy === undefined && previous.preemptionPolicy !== undefined) spec.preemptionPolicy = previous.preemptionPolicy;
      return;
    }
    spec.priority ??= SYSTEM_PRIORITIES[spec.priorityClassName ?? ''] ?? 0;
    spec.preemptionPolicy ??= 'PreemptLowerPriority';
  },
});
