/** policy/v1: PodDisruptionBudget. */
import { PodDisruptionBudget } from '../src/api/types';
import { declare } from './builtin';
import { age } from './columns';

/** MIN AVAILABLE and MAX UNAVAILABLE print N/A when unset, as upstream's printer does. */
export const podDisruptionBudgets = declare(PodDisruptionBudget, {
  plural: 'poddisruptionbudgets',
  shortNames: ['pdb'],
  scope: 'Namespaced',
  unmanaged: 'berth stores PodDisruptionBudgets but evictions do not consult them and no controller reports allowed disruptions yet',
  printerColumns: [
    { name: 'Min Available', type: 'string', jsonPath: '.spec.minAvailable', description: 'The minimum number of pods that must be available.' },
    { name: 'Max Unavailable', type: 'string', jsonPath: '.spec.maxUnavailable', description: 'The maximum number of pods that may be unavailable.' },
    { name: 'Allowed Disruptions', type: 'integer', jsonPath: '.status.disruptionsAllowed', description: 'Calculated number of pods that may be disrupted at this time.' },
    age,
  ],
});
