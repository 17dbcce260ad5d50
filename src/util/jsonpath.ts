/**
 * The JSONPath subset that printer columns use (CRD additionalPrinterColumns, kubectl):
 *   .spec.replicas   .spec.containers[0].image   .spec.containers[*].image
 *   .status.conditions[?(@.type=="Ready")].status   .metadata.labels['app.kubernetes.io/name']
 * `{` `}` around the expression are accepted. Errors name the position.
 */

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; path: string[]; op: '==' | '!=' | 'exists'; value?: string };

export class JsonPathError extends Error {}

export function parseJsonPath(expression: string): Step[] {
  let text = expression.trim();
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1).trim();
  if (text.startsWith('$')) text = text.slice(1);
  const steps: Step[] = [];
  let i = 0;
  const fail = (what: string): never => {
    throw new JsonPathError(`invalid JSONPath ${JSON.stringify(expression)} at ${i}: ${what}`);
  };
  while (i < text.length) {
    if (text[i] === '.') {
      i++;
      const start = i;
      while (i < text.length && /[A-Za-z0-9_\-$/]/.test(text[i])) i++;
      if (i === start) {
        if (text[i] === '[' || i === text.length) continue;
        fail('expected a field name');
      }
      steps.push({ kind: 'field', name: text.slice(start, i) });
    } else if (text[i] === '[') {
      const end = matchingBracket(text, i);
      if (end < 0) fail('unclosed [');
      const inner = text.slice(i + 1, end).trim();
      i = end + 1;
      if (inner === '*') steps.push({ kind: 'all' });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if (/^'.*'$|^".*"$/.test(inner)) steps.push({ kind: 'field', name: inner.slice(1, -1) });
      else if (inner.startsWith('?(') && inner.endsWith(')')) steps.push(parseFilter(inner.slice(2, -1).trim(), fail));
      else fail(`unsupported [${inner}]`);
    } else {
      fail(`unexpected ${JSON.stringify(text[i])}`);
    }
  }
  return steps;
}

function matchingBracket(text: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let j = open; j < text.length; j++) {
    const c = text[j];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return j;
  }
  return -1;
}

function parseFilter(expr: string, fail: (what: string) => never): Step {
  const m = /^@((?:\.[A-Za-z0-9_\-]+)+)\s*(?:(==|!=)\s*(?:"([^"]*)"|'([^']*)'|([^\s]+)))?$/.exec(expr);
  if (!m) return fail(`unsupported filter ${expr}`);
  const path = m[1].split('.').filter((s) => s);
  if (!m[2]) return { kind: 'filter', path, op: 'exists' };
  return { kind: 'filter', path, op: m[2] as '==' | '!=', value: m[3] ?? m[4] ?? m[5] };
}

/** Every value the path reaches, in document order. */
export function evaluateJsonPath(steps: Step[], root: unknown): unknown[] {
  let current: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of current) {
      if (v === null || typeof v !== 'object') continue;
      switch (step.kind) {
        case 'field': {
          if (Array.isArray(v)) continue;
          const child = (v as Record<string, unknown>)[step.name];
          if (child !== undefined) next.push(child);
          break;
        }
        case 'index': {
          if (!Array.isArray(v)) continue;
          const child = v[step.index < 0 ? v.length + step.index : step.index];
          if (child !== undefined) next.push(child);
          break;
        }
        case 'all':
          next.push(...(Array.isArray(v) ? v : Object.values(v)));
          break;
        case 'filter':
          if (!Array.isArray(v)) continue;
          for (const item of v) {
            let field: unknown = item;
            for (const p of step.path) field = field && typeof field === 'object' ? (field as Record<string, unknown>)[p] : undefined;
            const ok = step.op === 'exists' ? field !== undefined : (String(field) === step.value) === (step.op === '==');
            if (ok && (step.op !== '!=' || field !== undefined)) next.push(item);
          }
          break;
      }
    }
    current = next;
  }
  return current;
}
