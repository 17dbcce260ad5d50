/**
 * Reading manifests for apply, diff and delete: files, directories (optionally recursive) and
 * stdin; multi-document YAML and JSON (a List's items are unpacked). Every object remembers where
 * it came from, so an error can say `deploy.yaml:12 (document 2)`.
 *
 * Order: Namespaces first, then CustomResourceDefinitions, then everything else as written —
 * so objects land in namespaces and kinds that exist.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML, { LineCounter } from 'yaml';
import type { Obj } from '../api/object';
import { isPlainObject } from '../api/object';
import { CommandError, ExitCode } from './exit';

export interface Source {
  file: string;
  /** 1-based index of the document in the file. */
  document: number;
  /** 1-based line where the document (or the List item) starts. */
  line: number;
}

export interface Manifest {
  object: Obj;
  source: Source;
}

const manifestExtensions = new Set(['.yaml', '.yml', '.json']);

export function describeSource(s: Source): string {
  return `${s.file}:${s.line} (document ${s.document})`;
}

/** A bad manifest: names the file, the line and what is wrong. */
export class ManifestError extends CommandError {
  constructor(where: string, message: string) {
    super(`${where}: ${message}`, ExitCode.badInput);
  }
}

/** Expands `-f` arguments into files: a file as is, a directory's manifests (recursively with -R). */
export function manifestFiles(args: string[], recursive: boolean): string[] {
  const files: string[] = [];
  for (const arg of args) {
    if (arg === '-') {
      files.push('-');
      continue;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(arg);
    } catch {
      throw new ManifestError(arg, 'no such file or directory');
    }
    if (stat.isDirectory()) files.push(...directoryFiles(arg, recursive));
    else files.push(arg);
  }
  return files;
}

function directoryFiles(dir: string, recursive: boolean): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (recursive) out.push(...directoryFiles(full, true));
    } else if (manifestExtensions.has(path.extname(entry.name).toLowerCase())) {
      out.push(full);
    }
  }
  return out;
}

/** Parses every object in a file's text. */
export function parseManifests(text: string, file: string): Manifest[] {
  const lines = new LineCounter();
  const documents = YAML.parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const manifests: Manifest[] = [];
  const list = Array.isArray(documents) ? documents : [documents];
  list.forEach((doc, i) => {
    const number = i + 1;
    // The line of the document's first content, not of its `---` separator.
    const start = (doc.contents as { range?: [number, number, number] } | null)?.range?.[0] ?? doc.range?.[0];
    const startLine = start !== undefined ? lines.linePos(start).line : 1;
    for (const problem of [...doc.errors]) {
      const at = problem.pos ? lines.linePos(problem.pos[0]) : { line: startLine, col: 1 };
      throw new ManifestError(`${file}:${at.line}:${at.col} (document ${number})`, `not valid YAML: ${problem.message.split('\n')[0]}`);
    }
    const value = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) return; // an empty document between separators
    const source = { file, document: number, line: startLine };
    if (!isPlainObject(value)) throw new ManifestError(describeSource(source), 'a manifest must be an object with apiVersion, kind and metadata');
    if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
      const items = doc.get('items', true) as YAML.YAMLSeq | undefined;
      value.items.forEach((item: unknown, j: number) => {
        const node = items?.items?.[j] as { range?: [number, number, number] } | undefined;
        const itemSource = { file, document: number, line: node?.range ? lines.linePos(node.range[0]).line : startLine };
        manifests.push({ object: checkObject(item, itemSource), source: itemSource });
      });
      return;
    }
    manifests.push({ object: checkObject(value, source), source });
  });
  return manifests;
}

function checkObject(value: unknown, source: Source): Obj {
  const where = describeSource(source);
  if (!isPlainObject(value)) throw new ManifestError(where, 'a manifest must be an object with apiVersion, kind and metadata');
  if (typeof value.apiVersion !== 'string' || value.apiVersion === '') throw new ManifestError(where, 'apiVersion is missing');
  if (typeof value.kind !== 'string' || value.kind === '') throw new ManifestError(where, 'kind is missing');
  if (!isPlainObject(value.metadata)) throw new ManifestError(where, `${value.kind}: metadata is missing`);
  const meta = value.metadata as Record<string, unknown>;
  if (typeof meta.name !== 'string' && typeof meta.generateName !== 'string') throw new ManifestError(where, `${value.kind}: metadata.name is missing`);
  return value as Obj;
}

/** Reads every manifest named by `-f` arguments, in apply order. */
export function readManifests(args: string[], options: { recursive?: boolean; stdin?: () => string } = {}): Manifest[] {
  const all: Manifest[] = [];
  for (const file of manifestFiles(args, options.recursive ?? false)) {
    const text = file === '-' ? (options.stdin ?? (() => fs.readFileSync(0, 'utf8')))() : fs.readFileSync(file, 'utf8');
    all.push(...parseManifests(text, file === '-' ? '<stdin>' : file));
  }
  return applyOrder(all);
}

const rank = (m: Manifest): number => {
  if (m.object.kind === 'Namespace' && m.object.apiVersion === 'v1') return 0;
  if (m.object.kind === 'CustomResourceDefinition') return 1;
  return 2;
};

/** Namespaces, then CRDs, then the rest, each group in the order written. */
export function applyOrder(manifests: Manifest[]): Manifest[] {
  return manifests
    .map((m, i) => ({ m, i }))
    .sort((a, b) => rank(a.m) - rank(b.m) || a.i - b.i)
    .map(({ m }) => m);
}
