/**
 * Field selectors, as apimachinery `pkg/fields/selector.go` parses them: comma-separated terms
 * `field=value`, `field==value` or `field!=value`, all of which must hold. In a value, `\`, `,`
 * and `=` are written `\\`, `\,` and `\=`. A field that an object lacks reads as the empty string.
 *
 * Which fields a kind can be selected on is the server's business (`metadata.name` and
 * `metadata.namespace` everywhere, a few more per kind): `checkFieldSelector` turns any other
 * field into a 400, because silently ignoring it would select unrelated objects.
 */
import { BadRequest } from './errors';

export type FieldOperator = '=' | '==' | '!=';

export interface FieldRequirement {
  readonly field: string;
  readonly operator: FieldOperator;
  /** Unescaped. */
  readonly value: string;
}

/** Reads one field of an object by its selector name (`spec.nodeName`); undefined when absent. */
export type FieldGetter = (field: string) => string | undefined;

const escapeValue = (value: string): string => value.replace(/[\\,=]/g, (c) => `\\${c}`);

export class FieldSelector {
  private static readonly all = new FieldSelector([]);

  private constructor(readonly requirements: readonly FieldRequirement[]) {}

  static everything(): FieldSelector {
    return FieldSelector.all;
  }

  static of(requirements: readonly FieldRequirement[]): FieldSelector {
    return requirements.length === 0 ? FieldSelector.all : new FieldSelector(requirements);
  }

  get empty(): boolean {
    return this.requirements.length === 0;
  }

  matches(get: FieldGetter): boolean {
    return this.requirements.every((r) => ((get(r.field) ?? '') === r.value) === (r.operator !== '!='));
  }

  /** The value a selector demands for `field` (`field=v` or `field==v`), which a server can use as an index. */
  exactValue(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.operator !== '!=')?.value;
  }

  /** The canonical form, as upstream's `String()`: `==` prints as `=`, values escaped. */
  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator === '!=' ? '!=' : '='}${escapeValue(r.value)}`).join(',');
  }
}

interface Term {
  text: string;
  /** 0-based offset of the term in the whole selector. */
  at: number;
}

/** Splits on commas that are not escaped; escapes stay in the terms for `unescape` to resolve. */
function splitTerms(input: string): Term[] {
  const terms: Term[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < input.length; i++) {
    if (escaped) escaped = false;
    else if (input[i] === '\\') escaped = true;
    else if (input[i] === ',') {
      terms.push({ text: input.slice(start, i), at: start });
      start = i + 1;
    }
  }
  terms.push({ text: input.slice(start), at: start });
  return terms;
}

/** The first operator in the term splits it; no escaping is allowed in field names, as upstream. */
function splitTerm(term: string): { field: string; operator: FieldOperator; raw: string; valueAt: number } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const operator of ['!=', '==', '='] as const) {
      if (term.startsWith(operator, i)) {
        return { field: term.slice(0, i), operator, raw: term.slice(i + operator.length), valueAt: i + operator.length };
      }
    }
  }
  return undefined;
}

/**
 * Parses a `fieldSelector` query parameter; the empty string selects everything.
 * Throws BadRequest naming the selector, the problem and its 1-based column.
 */
export function parseFieldSelector(input: string): FieldSelector {
  const fail = (message: string, at: number): never => {
    throw new BadRequest(`invalid field selector "${input}": ${message} at column ${at + 1}`);
  };
  const unescape = (raw: string, at: number): string => {
    let value = '';
    for (let i = 0; i < raw.length; i++) {
      const c = raw[i];
      if (c === '\\') {
        const next = raw[i + 1];
        if (next === undefined || !'\\,='.includes(next)) fail(`invalid escape sequence "\\${next ?? ''}" in value`, at + i);
        value += next;
        i++;
      } else if (c === ',' || c === '=') {
        fail(`unescaped "${c}" in value (write "\\${c}")`, at + i);
      } else {
        value += c;
      }
    }
    return value;
  };
  const requirements: (FieldRequirement & { term: string })[] = [];
  for (const term of splitTerms(input)) {
    if (term.text === '') continue;
    const parts = splitTerm(term.text);
    if (parts === undefined) fail(`can't understand "${term.text}" (expected field=value, field==value or field!=value)`, term.at);
    const { field, operator, raw, valueAt } = parts!;
    if (field === '') fail(`missing field name before "${operator}"`, term.at);
    requirements.push({ field, operator, value: unescape(raw, term.at + valueAt), term: term.text });
  }
  // Upstream sorts the terms, which fixes the order of the requirements and of toString().
  requirements.sort((a, b) => (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
  return FieldSelector.of(requirements.map(({ field, operator, value }) => ({ field, operator, value })));
}

/**
 * Rejects a selector on fields that `kind` cannot be selected on, with a 400 that names the field,
 * the kind and what is supported.
 */
export function checkFieldSelector(selector: FieldSelector, supported: readonly string[], kind: string): void {
  for (const { field } of selector.requirements) {
    if (!supported.includes(field)) {
      throw new BadRequest(`unsupported field selector "${field}" for kind "${kind}" (supported: ${supported.join(', ')})`);
    }
  }
}

/** The fields every kind can be selected on. */
export const commonSelectableFields: readonly string[] = ['metadata.name', 'metadata.namespace'];
