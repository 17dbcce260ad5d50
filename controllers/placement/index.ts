/** The placement controller's entry in the registry; the pure decision is in place.ts and explain.ts. */
import type { ControllerEntry } from '..';
import { placementController } from './controller';

export const placementEntry: ControllerEntry = {
  name: 'placement',
  description: 'places pending pods on nodes (spread or bin-pack) and binds them; says why when a pod fits nowhere',
  create: (tools, settings) => placementController(tools, settings, { now: settings.now }),
};
