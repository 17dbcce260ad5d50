/**
 * The text of `berth describe`, written as kubectl's describers write theirs (kubectl
 * `pkg/describe`): lines at indentation levels of two spaces, `Key:\tvalue` cells aligned by a
 * tab writer (min width 0, padding 2), and the shared pieces every describer uses — multi-line
 * labels, annotations, taints and tolerations, timestamps in RFC 1123 with a numeric zone.
 */
import { age } from '../../../util/duration';
import { TabWriter, describeOptions } from '../tab-writer';

export class DescribeWriter {
  private readonly tabs: TabWriter | undefined;
  private text = '';

  /** `aligned: false` keeps the tabs as they are, as `kubectl rollout history --revision` prints. */
  constructor(options: { aligned?: boolean } = {}) {
    this.tabs = options.aligned === false ? undefined : new TabWriter(describeOptions);
  }

  /** Writes at an indentation level (two spaces each). */
  write(level: number, text: string): void {
    const line = '  '.repeat(level) + text;
    if (this.tabs) this.tabs.write(line);
    else this.text += line;
  }

  /** Aligns what was written so far on its own, as kubectl does before the events table. */
  flush(): void {
    if (this.tabs) this.text += this.tabs.flush();
  }

  toString(): string {
    this.flush();
    return this.text;
  }
}

/** Go's `time.RFC1123Z` in the local zone: `Tue, 25 Nov 2025 06:00:00 +0000`. */
export function rfc1123(timestamp: string | undefined): string {
  const t = timestamp ? new Date(timestamp) : new Date(0);
  const two = (n: number) => String(n).padStart(2, '0');
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const offset = -t.getTimezoneOffset();
  const zone = `${offset >= 0 ? '+' : '-'}${two(Math.floor(Math.abs(offset) / 60))}${two(Math.abs(offset) % 60)}`;
  return `${days[t.getDay()]}, ${two(t.getDate())} ${months[t.getMonth()]} ${t.getFullYear()} ${two(t.getHours())}:${two(t.getMinutes())}:${two(t.getSeconds())} ${zone}`;
}

/** How long ago, or `<unknown>` when there is no time. */
export const since = (timestamp: string | undefined): string => age(timestamp);

const sorted = (keys: string[]): string[] => [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** `Labels:  a=b` then one more `key=value` per line, aligned; `<none>` when empty. */
export function labelsMultiline(w: DescribeWriter, title: string, labels: Record<string, string> | undefined, initialIndent = ''): void {
  w.write(0, `${initialIndent}${title}:\t`);
  const keys = sorted(Object.keys(labels ?? {}));
  if (keys.length === 0) {
    w.write(0, '<none>\n');
    return;
  }
  keys.forEach((key, i) => {
    if (i > 0) w.write(0, `${initialIndent}\t`);
    w.write(0, `${key}=${labels![key]}\n`);
  });
}

const lastApplied = 'kubectl.kubernetes.io/last-applied-configuration';
const maxAnnotationLength = 140;

/** Annotations, the last-applied configuration left out; long or multi-line values on lines of their own. */
export function annotationsMultiline(w: DescribeWriter, title: string, annotations: Record<string, string> | undefined): void {
  w.write(0, `${title}:\t`);
  const keys = sorted(Object.keys(annotations ?? {}).filter((k) => k !== lastApplied));
  if (keys.length === 0) {
    w.write(0, '<none>\n');
    return;
  }
  keys.forEach((key, i) => {
    if (i > 0) w.write(0, '\t');
    const value = annotations![key].replace(/\n$/, '');
    if (value.length + key.length + 2 > maxAnnotationLength || value.includes('\n')) {
      w.write(0, `${key}:\n`);
      for (const line of value.split('\n')) {
        const cut = line.length > maxAnnotationLength - 2 ? `${line.slice(0, maxAnnotationLength - 2)}...` : line;
        w.write(0, `\t  ${cut}\n`);
      }
    } else {
      w.write(0, `${key}: ${value}\n`);
    }
  });
}

interface TaintLike {
  key: string;
  value?: string;
  effect: string;
}

/** `key=value:Effect` per line, sorted by effect then key. */
export function taintsMultiline(w: DescribeWriter, title: string, taints: TaintLike[] | undefined): void {
  w.write(0, `${title}:\t`);
  const list = [...(taints ?? [])].sort((a, b) => {
    const ka = `${a.effect},${a.key}`;
    const kb = `${b.effect},${b.key}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  if (list.length === 0) {
    w.write(0, '<none>\n');
    return;
  }
  list.forEach((t, i) => {
    if (i > 0) w.write(0, '\t');
    w.write(0, `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}\n`);
  });
}

interface TolerationLike {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** `key=value:Effect op=Exists for 300s` per line, sorted by key. */
export function tolerationsMultiline(w: DescribeWriter, title: string, tolerations: TolerationLike[] | undefined, initialIndent = ''): void {
  w.write(0, `${initialIndent}${title}:\t`);
  const list = [...(tolerations ?? [])].sort((a, b) => ((a.key ?? '') < (b.key ?? '') ? -1 : (a.key ?? '') > (b.key ?? '') ? 1 : 0));
  if (list.length === 0) {
    w.write(0, '<none>\n');
    return;
  }
  list.forEach((t, i) => {
    if (i > 0) w.write(0, `${initialIndent}\t`);
    let text = t.key ?? '';
    if (t.value) text += `=${t.value}`;
    if (t.effect) text += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.value) text += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined) text += ` for ${t.tolerationSeconds}s`;
    w.write(0, `${text}\n`);
  });
}

/** `Kind/name` of the controller that owns an object, or empty. */
export function controllerOf(metadata: { ownerReferences?: Array<{ kind: string; name: string; controller?: boolean }> }): string {
  const owner = metadata.ownerReferences?.find((o) => o.controller);
  return owner ? `${owner.kind}/${owner.name}` : '';
}

/**
 * A label selector as kubectl prints one (its requirements sorted by key): `app=web,tier in (a,b)`;
 * `<none>` when it selects everything.
 */
export function formatLabelSelector(selector: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> } | undefined): string {
  const parts: Array<[key: string, text: string]> = Object.entries(selector?.matchLabels ?? {}).map(([key, value]) => [key, `${key}=${value}`]);
  for (const e of selector?.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    const text =
      e.operator === 'In' ? `${e.key} in (${values})` : e.operator === 'NotIn' ? `${e.key} notin (${values})` : e.operator === 'Exists' ? e.key : e.operator === 'DoesNotExist' ? `!${e.key}` : `${e.key} ${e.operator} (${values})`;
    parts.push([e.key, text]);
  }
  parts.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return parts.length === 0 ? '<none>' : parts.map(([, text]) => text).join(',');
}
