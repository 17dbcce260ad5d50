/**
 * Events (upstream's legacy event validation for core/v1): the event lives in the namespace of the
 * object it is about; an event with an eventTime (the newer shape) also names who reported it,
 * from where, what was done and why.
 */
import type { Cause } from '../../api/errors';
import { isQualifiedName } from '../../api/names';
import type { Event } from '../../api/types';
import { invalid, required } from './field-errors';
import { onKind } from './kinds';

const REPORTING_INSTANCE_MAX = 128;
const ACTION_MAX = 128;
const REASON_MAX = 128;
const NOTE_MAX = 1024;

export const eventValidation = onKind('event-validation', '', 'Event', {
  validate(obj) {
    const event = obj as Event;
    const causes: Cause[] = [];
    const namespace = event.metadata.namespace ?? '';
    const involved = event.involvedObject.namespace ?? '';
    const mismatch = (): Cause => invalid('involvedObject.namespace', involved, 'does not match event.namespace');
    if (!event.eventTime) {
      // Events about cluster-scoped objects go to "default", as old clients put them there.
      if (involved ? namespace !== involved : namespace !== '' && namespace !== 'default') causes.push(mismatch());
      return causes;
    }
    if (!involved && namespace !== 'default' && namespace !== 'kube-system') causes.push(mismatch());
    const reporter = event.reportingComponent ?? '';
    if (!reporter) causes.push(required('reportingComponent'));
    causes.push(...isQualifiedName(reporter).map((p) => invalid('reportingComponent', reporter, p)));
    const limited: Array<[keyof Event & string, string | undefined, number, boolean]> = [
      ['reportingInstance', event.reportingInstance, REPORTING_INSTANCE_MAX, true],
      ['action', event.action, ACTION_MAX, true],
      ['reason', event.reason, REASON_MAX, true],
      ['message', event.message, NOTE_MAX, false],
    ];
    for (const [field, value, max, needed] of limited) {
      if (needed && !value) causes.push(required(field));
      if ((value ?? '').length > max) causes.push(invalid(field, '', `can have at most ${max} characters`));
    }
    return causes;
  },
});
