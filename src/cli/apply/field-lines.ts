/**
 * From a field path the server names (`spec.template.spec.containers[0].image`) back to the line
 * of the manifest that holds it, through the yaml library's node ranges. A field that is missing
 * (a "Required value") maps to the line of its nearest ancestor that the manifest has.
 */
import YAML, { isMap, isScalar, isSeq, LineCounter, Node } from 'yaml';
import type { Source } from '../manifests';

export type PathSegment = string | number;

/**
 * `spec.containers[0].image` → ['spec', 'containers', 0, 'image']; `metadata.labels[app.io/x]`
 * keeps a bracketed key whole. A leading dot (`.spec.x`, as some messages write it) is dropped.
 */
export function parseFieldPath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  const pattern = /([^.[\]]+)|\[([^\]]*)\]/g;
  for (const m of path.matchAll(pattern)) {
    if (m[1] !== undefined) segments.push(m[1]);
    else segments.push(/^\d+$/.test(m[2]) ? Number(m[2]) : m[2]);
  }
  return segments;
}

/** The root node of the manifest at `source` in `text`: its document, or its item in a List. */
function manifestRoot(text: string, source: Source, lines: LineCounter): Node | undefined {
  const documents = YAML.parseAllDocuments(text, { lineCounter: lines });
  const list = Array.isArray(documents) ? documents : [documents];
  const root = list[source.document - 1]?.contents ?? undefined;
  if (!root || !isMap(root)) return root ?? undefined;
  const items = root.get('items', true);
  if (isSeq(items)) {
    const item = items.items.find((i) => (i as Node).range && lines.linePos((i as Node).range![0]).line === source.line);
    if (item) return item as Node;
  }
  return root;
}

/** The 1-based line of `path` in the manifest at `source`, or of its deepest ancestor present. */
export function lineOfField(text: string, source: Source, path: PathSegment[]): number {
  const lines = new LineCounter();
  let node = manifestRoot(text, source, lines);
  let line = source.line;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      const key = pair.key as Node;
      if (key.range) line = lines.linePos(key.range[0]).line;
      node = (pair.value ?? undefined) as Node | undefined;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      if (item.range) line = lines.linePos(item.range[0]).line;
      node = item;
    } else {
      break;
    }
  }
  return line;
}
