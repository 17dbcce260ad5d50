/** policy/v1 Eviction: the body of POST pods/<name>/eviction. */
import * as t from 'io-ts';
import { described } from '../codecs';
import { DeleteOptions, resource } from './meta';

export const Eviction = resource(
  'policy/v1',
  'Eviction',
  'Eviction evicts a pod from its node, subject to disruption budgets.',
  {},
  { deleteOptions: described(DeleteOptions, 'DeleteOptions may be provided.') },
);
export type Eviction = t.TypeOf<typeof Eviction>;
