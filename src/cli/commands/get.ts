/**
 * `berth get KIND [NAME...] [-n NS | -A] [-l SEL] [-o wide|yaml|json|name] [-w]`, as kubectl get:
 * human output is the server's Table (asked for with kubectl's Accept header), printed with
 * kubectl's alignment; yaml/json print the objects (a List for a collection or several objects);
 * `-w` prints the list, then a row per change from the list's resourceVersion.
 */
import type { Command } from 'commander';
import { isNotFound } from '../../api/errors';
import type { Obj } from '../../api/object';
import { addConnectionFlags } from '../../client';
import type { Client, ConnectionOptions } from '../../client';
import { errorMessage } from '../../log';
import { withSession } from '../connect';
import { CommandError, ExitCode } from '../exit';
import { formatObjects, kindQualifier, ObjectFormat, printable, toJson, toYaml } from '../output/objects';
import { asTable, Table, tableAccept, TablePrinter } from '../output/table';
import { watchTables } from '../output/watch';
import { parseTargets, ResourceType, Target } from '../resolve';
import { untilSignal } from '../signals';

interface GetFlags extends ConnectionOptions {
  allNamespaces?: boolean;
  selector?: string;
  fieldSelector?: string;
  output?: string;
  watch?: boolean;
  showLabels?: boolean;
  /** `--no-headers` sets this false. */
  headers?: boolean;
  showManagedFields?: boolean;
}

type Output = 'table' | 'wide' | ObjectFormat;

function outputOf(flag: string | undefined): Output {
  if (flag === undefined || flag === '') return 'table';
  if (flag === 'wide' || flag === 'yaml' || flag === 'json' || flag === 'name') return flag;
  throw new CommandError(`--output must be one of wide, yaml, json, name; not "${flag}"`, ExitCode.badInput);
}

/** Where one kind is read from: its collection path and the list query. */
interface Scope {
  client: Client;
  type: ResourceType;
  /** undefined: all namespaces (or a cluster-scoped kind). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

const collectionPath = (s: Scope): string => s.client.resource(s.type).path(s.type.namespaced ? s.namespace : undefined);

function withName(fieldSelector: string | undefined, name: string): string {
  return [`metadata.name=${name}`, fieldSelector].filter(Boolean).join(',');
}

/** Every page of a collection as one Table. */
async function listTable(s: Scope, fieldSelector = s.fieldSelector): Promise<Table> {
  let table: Table | undefined;
  let token: string | undefined;
  do {
    const page = asTable(
      await s.client.api.request<unknown>('GET', collectionPath(s), {
        accept: tableAccept,
        query: { labelSelector: s.labelSelector || undefined, fieldSelector: fieldSelector || undefined, limit: 500, continue: token },
      }),
    );
    if (!table) table = page;
    else table.rows.push(...page.rows);
    token = page.metadata?.continue || undefined;
  } while (token);
  return table!;
}

async function getTable(s: Scope, name: string): Promise<Table> {
  return asTable(await s.client.api.request<unknown>('GET', s.client.resource(s.type).path(s.type.namespaced ? s.namespace : undefined, name), { accept: tableAccept }));
}

async function listObjects(s: Scope): Promise<{ items: Obj[]; resourceVersion: string }> {
  const resource = s.client.resource(s.type);
  const scoped = s.type.namespaced && s.namespace ? resource.namespace(s.namespace) : resource;
  return scoped.listAll({ labelSelector: s.labelSelector, fieldSelector: s.fieldSelector });
}

export function registerGet(program: Command): void {
  const command = program
    .command('get')
    .description('list objects, or watch them change (-w)')
    .argument('<kind>', 'a kind (pods, deploy, deployments.apps, a custom kind), kinds (deploy,rs), a category (all), or KIND/NAME')
    .argument('[names...]', 'names of objects of that kind')
    .option('-A, --all-namespaces', 'list across all namespaces')
    .option('-l, --selector <selector>', 'only objects whose labels match, e.g. app=web,tier!=db')
    .option('--field-selector <selector>', 'only objects whose fields match, e.g. status.phase=Running')
    .option('-o, --output <format>', 'wide, yaml, json or name')
    .option('-w, --watch', 'after listing, print a line for every change')
    .option('--show-labels', 'add a LABELS column')
    .option('--no-headers', 'leave out the header line')
    .option('--show-managed-fields', 'keep metadata.managedFields in yaml and json');
  addConnectionFlags(command);
  command.action(async (kind: string, names: string[], flags: GetFlags) => {
    const output = outputOf(flags.output);
    await withSession(flags, async (session) => {
      const targets = parseTargets([kind, ...names], await session.types());
      const namespace = flags.allNamespaces ? undefined : session.namespace;
      const scope = (type: ResourceType): Scope => ({ client: session.client, type, namespace, labelSelector: flags.selector, fieldSelector: flags.fieldSelector });
      if (flags.watch) {
        if (targets.length !== 1 || targets[0].names.length > 1) throw new CommandError('watch is only supported on one kind, or one object', ExitCode.badInput);
        await watch(scope(targets[0].type), targets[0].names[0], output, flags);
        return;
      }
      if (output === 'table' || output === 'wide') await printTables(targets, scope, output === 'wide', flags, namespace);
      else await printObjects(targets, scope, output, flags);
    });
  });
}

async function printTables(targets: Target[], scope: (t: ResourceType) => Scope, wide: boolean, flags: GetFlags, namespace: string | undefined): Promise<void> {
  const errors: string[] = [];
  let printed = false;
  for (const target of targets) {
    const s = scope(target.type);
    const printer = new TablePrinter({
      wide,
      withNamespace: namespace === undefined && target.type.namespaced,
      kindPrefix: targets.length > 1 ? kindQualifier(target.type.group, target.type.kind) : undefined,
      showLabels: flags.showLabels,
      noHeaders: flags.headers === false,
    });
    let table: Table | undefined;
    if (target.names.length === 0) {
      table = await listTable(s);
    } else {
      for (const name of target.names) {
        try {
          const one = await getTable(s, name);
          if (!table) table = one;
          else table.rows.push(...one.rows);
        } catch (e) {
          if (!isNotFound(e)) throw e;
          errors.push(errorMessage(e));
        }
      }
    }
    if (!table) continue;
    const text = printer.print(table);
    if (text === '') continue;
    // kubectl separates the tables of several kinds by a blank line.
    if (printed && flags.headers !== false) process.stdout.write('\n');
    process.stdout.write(text);
    printed = true;
  }
  reportMissing(errors);
  if (!printed && errors.length === 0) {
    const allNamespaced = namespace !== undefined && targets.every((t) => t.type.namespaced);
    process.stderr.write(allNamespaced ? `No resources found in ${namespace} namespace.\n` : 'No resources found\n');
  }
}

async function printObjects(targets: Target[], scope: (t: ResourceType) => Scope, output: ObjectFormat, flags: GetFlags): Promise<void> {
  const errors: string[] = [];
  const objects: Obj[] = [];
  for (const target of targets) {
    const s = scope(target.type);
    if (target.names.length === 0) {
      objects.push(...(await listObjects(s)).items);
      continue;
    }
    const client = s.client.resource(target.type, target.type.namespaced ? s.namespace : undefined);
    for (const name of target.names) {
      try {
        objects.push(await client.get(name));
      } catch (e) {
        if (!isNotFound(e)) throw e;
        errors.push(errorMessage(e));
      }
    }
  }
  // One named object prints as itself; a collection, or several, as a List.
  const single = targets.length === 1 && targets[0].names.length === 1;
  if (objects.length > 0 || !single) process.stdout.write(formatObjects(objects, output, { asList: !single, showManagedFields: flags.showManagedFields }));
  reportMissing(errors);
}

function reportMissing(errors: string[]): void {
  if (errors.length === 0) return;
  throw new CommandError(errors.join('\nerror: '), ExitCode.failed);
}

/** The list, then a line (or an object) per change, until Ctrl-C. */
async function watch(s: Scope, name: string | undefined, output: Output, flags: GetFlags): Promise<void> {
  const stop = new AbortController();
  void untilSignal().then(() => stop.abort());
  const fieldSelector = name ? withName(s.fieldSelector, name) : s.fieldSelector;
  const query = { labelSelector: s.labelSelector || undefined, fieldSelector: fieldSelector || undefined };
  if (output === 'table' || output === 'wide') {
    const printer = new TablePrinter({ wide: output === 'wide', withNamespace: s.namespace === undefined && s.type.namespaced, showLabels: flags.showLabels, noHeaders: flags.headers === false });
    const table = await listTable(s, fieldSelector);
    process.stdout.write(printer.print(table));
    for await (const event of watchTables(s.client, collectionPath(s), { ...query, resourceVersion: table.metadata?.resourceVersion }, stop.signal)) {
      process.stdout.write(printer.print(event.table));
    }
    return;
  }
  const { items, resourceVersion } = await listObjects({ ...s, fieldSelector });
  // kubectl prints each change as a whole document: yaml ones separated by `---`.
  let count = 0;
  const print = (obj: Obj) => {
    if (output === 'name') process.stdout.write(formatObjects([obj], 'name'));
    else if (output === 'json') process.stdout.write(toJson(printable(obj, flags)));
    else process.stdout.write(`${count > 0 ? '---\n' : ''}${toYaml(printable(obj, flags))}`);
    count++;
  };
  items.forEach(print);
  const resource = s.client.resource(s.type);
  const scoped = s.type.namespaced && s.namespace ? resource.namespace(s.namespace) : resource;
  for await (const event of scoped.watch(resourceVersion, stop.signal, query)) {
    if (event.type !== 'BOOKMARK') print(event.object);
  }
}
