/** autoscaling/v1 Scale: the body of the /scale subresource. */
import * as t from 'io-ts';
import { described, struct } from '../codecs';
import { int32 } from '../scalars';
import { resource } from './meta';

export const Scale = resource(
  'autoscaling/v1',
  'Scale',
  'Scale is the desired and observed replica count of a scalable resource.',
  {},
  {
    spec: described(struct('ScaleSpec', {}, { replicas: described(int32, 'The desired number of instances.') }), 'The desired state.'),
    status: described(
      struct(
        'ScaleStatus',
        { replicas: described(int32, 'The actual number of observed instances.') },
        { selector: described(t.string, 'The label selector of the pods, as a string (app=web).') },
      ),
      'The current state.',
    ),
  },
);
export type Scale = t.TypeOf<typeof Scale>;
