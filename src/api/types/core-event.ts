/** core/v1 Event: something that happened to an object, for `kubectl describe`. */
import * as t from 'io-ts';
import { described, struct } from '../codecs';
import { int32, microTime, time } from '../scalars';
import { ObjectReference } from './core-common';
import { resource } from './meta';

export const EventSource = struct(
  'EventSource',
  {},
  {
    component: described(t.string, 'Component that generated the event.'),
    host: described(t.string, 'Node that generated the event.'),
  },
);

export const EventSeries = struct(
  'EventSeries',
  {},
  {
    count: described(int32, 'Number of occurrences in this series up to the last heartbeat.'),
    lastObservedTime: described(microTime, 'Time of the last occurrence observed.'),
  },
);

export const Event = resource(
  'v1',
  'Event',
  'Event is a report of something that happened to an object.',
  { involvedObject: described(ObjectReference, 'The object this event is about.') },
  {
    reason: described(t.string, 'A short, machine understandable reason for the transition, e.g. Scheduled.'),
    message: described(t.string, 'A human-readable description of the status of this operation.'),
    source: described(EventSource, 'The component reporting this event.'),
    firstTimestamp: described(time, 'When the event was first recorded.'),
    lastTimestamp: described(time, 'When the most recent occurrence was recorded.'),
    count: described(int32, 'How many times the event has occurred.'),
    type: described(t.string, 'Normal or Warning.'),
    eventTime: described(microTime, 'When the event was first observed.'),
    series: described(EventSeries, 'Data about the series this event represents.'),
    action: described(t.string, 'What action was taken or failed on the regarding object.'),
    related: described(ObjectReference, 'A secondary object for more complex actions.'),
    reportingComponent: described(t.string, 'Name of the controller that emitted the event, e.g. replicaset-controller.'),
    reportingInstance: described(t.string, 'ID of the controller instance.'),
  },
);
export type Event = t.TypeOf<typeof Event>;
