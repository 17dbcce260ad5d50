/** The node lifecycle controller's entry in the registry. */
import type { ControllerEntry } from '..';
import { nodeLifecycleController } from './controller';

export const nodeLifecycleEntry: ControllerEntry = {
  name: 'node-lifecycle',
  description: 'marks silent nodes Unknown, taints nodes by their conditions, evicts pods whose tolerations run out',
  create: (tools, settings) => nodeLifecycleController(tools, settings),
};
