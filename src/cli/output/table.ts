/**
 * Printing the meta.k8s.io/v1 Tables the server computes, as kubectl prints them (cli-runtime
 * `tableprinter.go`): headers upper-cased, columns of priority > 0 only with `-o wide`, a
 * NAMESPACE column first with `-A`, `kind/name` names when several kinds print together, LABELS
 * last with `--show-labels`; a cell is printed as text, cut at its first line break with `...`.
 */
import type { ObjectMeta } from '../../api/object';
import { age } from '../../util/duration';
import { TabWriter, getTableOptions } from './tab-writer';

export interface ColumnDefinition {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
}

export interface TableRow {
  cells: unknown[];
  object?: { metadata?: ObjectMeta };
}

export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata?: { resourceVersion?: string; continue?: string };
  columnDefinitions: ColumnDefinition[];
  rows: TableRow[];
}

export interface TablePrintOptions {
  wide?: boolean;
  withNamespace?: boolean;
  /** `deployment.apps`: prefixes the name column, as kubectl does when several kinds print. */
  kindPrefix?: string;
  showLabels?: boolean;
  noHeaders?: boolean;
}

/** Accept header kubectl sends for human-readable output (K8S-WIRE §6.1). */
export const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

export function isTable(value: unknown): value is Table {
  const v = value as Partial<Table> | undefined;
  return v?.kind === 'Table' && typeof v.apiVersion === 'string' && v.apiVersion.startsWith('meta.k8s.io/') && Array.isArray(v.rows);
}

/**
 * A server that ignores `as=Table` answers with the object or a List: print it as kubectl's
 * generic printer does, NAME and AGE from the metadata.
 */
export function asTable(value: unknown): Table {
  if (isTable(value)) return value;
  const v = value as { items?: Array<{ metadata?: ObjectMeta }>; metadata?: ObjectMeta & { continue?: string } };
  const objects = Array.isArray(v?.items) ? v.items : [v as { metadata?: ObjectMeta }];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: v?.metadata?.resourceVersion, continue: Array.isArray(v?.items) ? v.metadata?.continue : undefined },
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name', priority: 0 },
      { name: 'Age', type: 'string', priority: 0 },
    ],
    rows: objects.map((o) => ({ cells: [o.metadata?.name ?? '', age(o.metadata?.creationTimestamp)], object: { metadata: o.metadata } })),
  };
}

const breakChars = /[\f\n\r]/;

function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  const text = typeof cell === 'string' ? cell : typeof cell === 'object' ? JSON.stringify(cell) : String(cell);
  const cut = text.search(breakChars);
  // A tab would split the cell in two; kubectl's tabwriter would too, so a space is the kinder reading.
  return (cut >= 0 ? `${text.slice(0, cut)}...` : text).replace(/\t/g, ' ');
}

function labelsText(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? '<none>' : entries.map(([k, v]) => `${k}=${v}`).join(',');
}

/**
 * Prints tables one after another with the same column widths, as kubectl's printer does for a
 * list followed by watch events: headers once (again only when the columns change), widths
 * remembered and widened as rows arrive.
 */
export class TablePrinter {
  private readonly writer = new TabWriter(getTableOptions);
  private columns: ColumnDefinition[] = [];
  private printedHeaders = false;

  constructor(private readonly options: TablePrintOptions = {}) {}

  /** The text for one table (lines ending in newlines); empty when it has no rows. */
  print(table: Table): string {
    let noHeaders = this.options.noHeaders ?? false;
    if (this.printedHeaders && (table.columnDefinitions.length === 0 || sameColumns(table.columnDefinitions, this.columns))) noHeaders = true;
    if (table.columnDefinitions.length > 0 && !sameColumns(table.columnDefinitions, this.columns)) {
      this.columns = table.columnDefinitions;
      this.printedHeaders = false;
    }
    if (table.rows.length === 0) return '';
    this.printedHeaders = true;
    const shown = this.columns.map((c, i) => ({ c, i })).filter(({ c }) => this.options.wide || !c.priority);
    const nameIndex = this.columns.findIndex((c) => c.format === 'name' && c.type === 'string');
    if (!noHeaders) {
      const headers = shown.map(({ c }) => c.name.toUpperCase());
      if (this.options.withNamespace) headers.unshift('NAMESPACE');
      if (this.options.showLabels) headers.push('LABELS');
      this.writer.write(`${headers.join('\t')}\n`);
    }
    for (const row of table.rows) {
      const cells = shown.map(({ i }) => {
        const text = cellText(row.cells[i]);
        return i === nameIndex && this.options.kindPrefix ? `${this.options.kindPrefix}/${text}` : text;
      });
      const metadata = row.object?.metadata;
      if (this.options.withNamespace) cells.unshift(metadata?.namespace ?? '');
      if (this.options.showLabels) cells.push(labelsText(metadata?.labels));
      this.writer.write(`${cells.join('\t')}\n`);
    }
    return this.writer.flush();
  }
}

function sameColumns(a: ColumnDefinition[], b: ColumnDefinition[]): boolean {
  return a.length === b.length && a.every((c, i) => c.name === b[i].name && c.type === b[i].type && (c.priority ?? 0) === (b[i].priority ?? 0) && (c.format ?? '') === (b[i].format ?? ''));
}
