/**
 * Server-side printing for `kubectl get`: a meta.k8s.io/v1 Table with column definitions and
 * one row per object. Built-in kinds compute their cells as upstream's printers do (printers.ts);
 * every other kind uses its declared printer columns, evaluated as JSONPath.
 */
import type { Obj } from '../../api/object';
import { age } from '../../util/duration';
import { evaluateJsonPath, parseJsonPath } from '../../util/jsonpath';
import type { PrinterColumn } from '../../../crds/kind';
import type { ResourceType } from '../registry';
import { nameColumn } from './cells';
import { builtinPrinter } from './printers';

export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRow {
  cells: unknown[];
  object?: unknown;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: ColumnDefinition[];
  rows: TableRow[];
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** How one kind prints: its columns, and the cells of one object. */
export interface Printer {
  columns: ColumnDefinition[];
  cells(object: Obj, now: number): unknown[];
}

export interface TableOptions {
  includeObject?: IncludeObject;
  /** Watch events after the first leave the column definitions out. */
  noHeaders?: boolean;
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export function printerFor(type: ResourceType): Printer {
  return builtinPrinter(type) ?? columnsPrinter(type.decl.printerColumns);
}

export function toTable(type: ResourceType, objects: Obj[], options: TableOptions = {}): Table {
  const printer = printerFor(type);
  const now = Date.now();
  const include = options.includeObject ?? 'Metadata';
  const metadata: Table['metadata'] = {};
  if (options.resourceVersion !== undefined) metadata.resourceVersion = options.resourceVersion;
  if (options.continue) metadata.continue = options.continue;
  if (options.remainingItemCount !== undefined) metadata.remainingItemCount = options.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: options.noHeaders ? [] : printer.columns,
    rows: objects.map((o) => row(printer, o, now, include)),
  };
}

function row(printer: Printer, object: Obj, now: number, include: IncludeObject): TableRow {
  const r: TableRow = { cells: printer.cells(object, now) };
  if (include === 'Object') r.object = object;
  else if (include === 'Metadata') {
    r.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
  }
  return r;
}

/** A printer from declared columns (CRDs, and built-ins without a printer of their own). */
export function columnsPrinter(declared: PrinterColumn[]): Printer {
  const columns: PrinterColumn[] = declared.length > 0 ? declared : [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }];
  const compiled = columns.map((c) => ({ column: c, path: safeParse(c.jsonPath) }));
  return {
    columns: [
      nameColumn,
      ...columns.map((c) => ({ name: c.name, type: c.type === 'date' ? 'date' : c.type, format: c.format ?? '', description: c.description ?? '', priority: c.priority ?? 0 })),
    ],
    cells: (object, now) => [
      object.metadata.name,
      ...compiled.map(({ column, path }) => {
        if (!path) return '<invalid>';
        const values = evaluateJsonPath(path, object);
        if (values.length === 0) return null;
        return cell(column.type, values[0], now);
      }),
    ],
  };
}

function safeParse(path: string) {
  try {
    return parseJsonPath(path);
  } catch {
    return undefined;
  }
}

function cell(type: PrinterColumn['type'], value: unknown, now: number): unknown {
  switch (type) {
    case 'date':
      return typeof value === 'string' ? age(value, now) : '<invalid>';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) ? value : '<invalid>';
    case 'number':
      return typeof value === 'number' ? value : '<invalid>';
    case 'boolean':
      return typeof value === 'boolean' ? value : '<invalid>';
    default:
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}
