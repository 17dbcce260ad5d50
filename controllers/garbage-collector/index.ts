/** The garbage collector's entry in the registry. */
import type { ControllerEntry } from '..';
import { garbageCollectorController } from './controller';

export const garbageCollectorEntry: ControllerEntry = {
  name: 'garbage-collector',
  description: 'deletes objects whose owners are gone; carries out foreground and orphan deletion',
  create: (tools) => garbageCollectorController(tools),
};
