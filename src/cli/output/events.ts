/**
 * Events as kubectl shows them: the Events section of `describe` (TYPE, REASON, AGE, FROM,
 * MESSAGE) and the table of `kubectl events` (LAST SEEN, TYPE, REASON, OBJECT, MESSAGE), both in
 * time order, a repeated event as `5s (x3 over 2m)`. Also the search `describe` does for the
 * events of one object (involvedObject field selectors, as kubectl's searchEvents).
 */
import type { Client } from '../../client';
import { kinds } from '../../client';
import type { Event } from '../../api/types';
import { age } from '../../util/duration';
import type { DescribeWriter } from './describe/writer';
import { TabWriter, getTableOptions } from './tab-writer';

/** When an event last happened, for ordering: its series, else lastTimestamp, else eventTime. */
function lastSeen(e: Event): number {
  const t = e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime;
  return t ? Date.parse(t) : 0;
}

/** Oldest first; a stable sort keeps the server's order among events of the same second. */
export function sortEvents(events: Event[]): Event[] {
  return [...events].sort((a, b) => lastSeen(a) - lastSeen(b));
}

/** `12s`, or `12s (x3 over 2m)` for an event that happened several times. */
export function eventInterval(e: Event, now = Date.now()): string {
  const first = e.eventTime ? age(e.eventTime, now) : age(e.firstTimestamp, now);
  if (e.series) return `${age(e.series.lastObservedTime, now)} (x${e.series.count ?? 0} over ${first})`;
  if ((e.count ?? 0) > 1) return `${age(e.lastTimestamp, now)} (x${e.count} over ${first})`;
  return first;
}

/** The Events section closing every description. */
export function describeEvents(w: DescribeWriter, events: Event[] | undefined): void {
  if (!events) return;
  if (events.length === 0) {
    w.write(0, 'Events:\t<none>\n');
    return;
  }
  w.flush();
  w.write(0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(1, '----\t------\t----\t----\t-------\n');
  for (const e of sortEvents(events)) {
    const from = e.source?.component || e.reportingComponent || '';
    w.write(1, `${e.type ?? ''}\t${e.reason ?? ''}\t${eventInterval(e)}\t${from}\t${(e.message ?? '').trim()}\n`);
  }
}

export interface InvolvedObject {
  kind?: string;
  name: string;
  namespace?: string;
  uid?: string;
}

/**
 * The events about one object: in its namespace, with involvedObject.name, namespace, kind and
 * uid as field selectors (each only when known, as kubectl leaves the kind out for pods).
 */
export async function eventsFor(client: Client, object: InvolvedObject): Promise<Event[]> {
  const selector = [`involvedObject.name=${object.name}`, `involvedObject.namespace=${object.namespace ?? ''}`];
  if (object.kind) selector.push(`involvedObject.kind=${object.kind}`);
  if (object.uid) selector.push(`involvedObject.uid=${object.uid}`);
  const events = client.resource(kinds.Event);
  const scoped = object.namespace ? events.namespace(object.namespace) : events;
  return (await scoped.listAll({ fieldSelector: selector.join(',') })).items;
}

/** `kubectl events` lines: a header once, then a row per event, aligned as kubectl's get aligns. */
export class EventPrinter {
  private readonly writer = new TabWriter(getTableOptions);
  private printedHeader = false;

  constructor(private readonly options: { allNamespaces: boolean; noHeaders?: boolean }) {}

  print(events: Event[], now = Date.now()): string {
    if (!this.printedHeader && !this.options.noHeaders) {
      this.writer.write(`${this.options.allNamespaces ? 'NAMESPACE\t' : ''}LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n`);
      this.printedHeader = true;
    }
    for (const e of events) {
      const namespace = this.options.allNamespaces ? `${e.metadata.namespace ?? ''}\t` : '';
      const object = `${e.involvedObject.kind ?? ''}/${e.involvedObject.name ?? ''}`;
      this.writer.write(`${namespace}${eventInterval(e, now)}\t${e.type ?? ''}\t${e.reason ?? ''}\t${object}\t${(e.message ?? '').trim()}\n`);
    }
    return this.writer.flush();
  }
}
