/**
 * `berth events [-n NS | -A] [--for KIND/NAME] [--types Warning] [-w]`, as `kubectl events`: the
 * events in time order (LAST SEEN, TYPE, REASON, OBJECT, MESSAGE), then, with -w, each new or
 * updated event as it arrives (deletions, which are only expiry, are not shown).
 */
import type { Command } from 'commander';
import { addConnectionFlags, apiVersionOf, ConnectionOptions, kinds } from '../../client';
import type { Event } from '../../api/types';
import { withSession } from '../connect';
import { CommandError, ExitCode } from '../exit';
import { EventPrinter, sortEvents } from '../output/events';
import { splitKindName } from '../resolve';
import { untilSignal } from '../signals';

interface EventsFlags extends ConnectionOptions {
  allNamespaces?: boolean;
  for?: string;
  types?: string;
  watch?: boolean;
  headers?: boolean;
}

function typeFilter(flag: string | undefined): (e: Event) => boolean {
  if (!flag) return () => true;
  const wanted = flag.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
  for (const t of wanted) if (t !== 'normal' && t !== 'warning') throw new CommandError(`--types takes Normal and Warning, not "${t}"`, ExitCode.badInput);
  return (e) => wanted.includes((e.type ?? '').toLowerCase());
}

export function registerEvents(program: Command): void {
  const command = program
    .command('events')
    .description('list events in time order, or watch them (-w)')
    .option('-A, --all-namespaces', 'events of every namespace')
    .option('--for <kind/name>', 'only the events about this object, e.g. pod/web-1 or deploy/web')
    .option('--types <types>', 'only these types: Normal, Warning (comma-separated)')
    .option('-w, --watch', 'after listing, print each new event as it happens')
    .option('--no-headers', 'leave out the header line');
  addConnectionFlags(command);
  command.action(async (flags: EventsFlags) => {
    await withSession(flags, async (session) => {
      const wanted = typeFilter(flags.types);
      const selector: string[] = [];
      if (flags.for) {
        const pair = splitKindName(flags.for);
        if (!pair) throw new CommandError(`--for wants KIND/NAME, e.g. pod/web-1; not "${flags.for}"`, ExitCode.badInput);
        const type = (await session.types()).find(pair.kind);
        selector.push(`involvedObject.kind=${type.kind}`, `involvedObject.apiVersion=${apiVersionOf(type)}`, `involvedObject.name=${pair.name}`);
      }
      const fieldSelector = selector.join(',') || undefined;
      const resource = session.client.resource(kinds.Event);
      const events = flags.allNamespaces ? resource : resource.namespace(session.namespace);
      const { items, resourceVersion } = await events.listAll({ fieldSelector });
      const shown = sortEvents(items.filter(wanted));
      const printer = new EventPrinter({ allNamespaces: Boolean(flags.allNamespaces), noHeaders: flags.headers === false });
      if (shown.length > 0) process.stdout.write(printer.print(shown));
      else if (!flags.watch) process.stderr.write(flags.allNamespaces ? 'No events found.\n' : `No events found in ${session.namespace} namespace.\n`);
      if (!flags.watch) return;
      const stop = new AbortController();
      void untilSignal().then(() => stop.abort());
      for await (const change of events.watch(resourceVersion, stop.signal, { fieldSelector })) {
        if (change.type === 'ADDED' || change.type === 'MODIFIED') {
          if (wanted(change.object)) process.stdout.write(printer.print([change.object]));
        }
      }
    });
  });
}
