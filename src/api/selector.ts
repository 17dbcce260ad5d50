/**
 * Label selectors, parsed and printed as apimachinery `pkg/labels/selector.go` does, so that what
 * kubectl sends (`-l`, `apply --prune -l`, and the set-based form it derives from
 * `matchExpressions`) selects exactly what it would select on a Kubernetes server.
 *
 *   <selector>    ::= <requirement> | <requirement> "," <selector>
 *   <requirement> ::= [!] KEY [ ("in" | "notin") "(" VALUE {"," VALUE} ")" | ("=" | "==" | "!=" | ">" | "<") VALUE ]
 *
 * Empty versus nil, as upstream: an empty selector (`''`, `{}`) selects everything; a missing
 * selector (`fromLabelSelector(undefined)`, `Selector.nothing()`) selects nothing. Code that
 * lists objects must keep the two apart: a Service without a selector selects no pods.
 */
import { BadRequest, Cause, Invalid } from './errors';
import { labelKeyErrors, labelValueErrors } from './label-syntax';
import type { LabelMatcher } from '../store/store';

/** The operators, spelled as upstream's `selection.Operator`. */
export type Operator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  /** Sorted and without duplicates for `in`/`notin`; one value for the comparisons; none for `exists`/`!`. */
  readonly values: readonly string[];
}

type Labels = Readonly<Record<string, string>>;

const has = (labels: Labels, key: string): boolean => Object.prototype.hasOwnProperty.call(labels, key);

/** Go's `strconv.ParseInt(s, 10, 64)`: an optional sign and decimal digits within int64. */
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n < 2n ** 63n ? n : undefined;
}

function requirementMatches(r: Requirement, labels: Labels): boolean {
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has(labels, r.key) && r.values.includes(labels[r.key]);
    case 'notin':
    case '!=':
      return !has(labels, r.key) || !r.values.includes(labels[r.key]);
    case 'exists':
      return has(labels, r.key);
    case '!':
      return !has(labels, r.key);
    case 'gt':
    case 'lt': {
      if (!has(labels, r.key)) return false;
      const actual = parseInt64(labels[r.key]);
      const bound = parseInt64(r.values[0]);
      if (actual === undefined || bound === undefined) return false;
      return r.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

const sortedCopy = (values: readonly string[]): string[] => [...values].sort();

function requirementString(r: Requirement): string {
  switch (r.operator) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.operator} (${sortedCopy(r.values).join(',')})`;
    case 'gt':
      return `${r.key}>${r.values[0]}`;
    case 'lt':
      return `${r.key}<${r.values[0]}`;
    default:
      return `${r.key}${r.operator}${r.values[0]}`;
  }
}

export class Selector implements LabelMatcher {
  private static readonly all = new Selector([], true);
  private static readonly none = new Selector([], false);

  /** Requirements are kept sorted by key (stable), which is what makes `toString()` canonical. */
  private constructor(
    readonly requirements: readonly Requirement[],
    private readonly selectable: boolean,
  ) {}

  /** Selects every object. */
  static everything(): Selector {
    return Selector.all;
  }

  /**
   * Selects no object: the meaning of an absent selector. Its `toString()` is `''`, which parses
   * back to everything, so never send it as a `labelSelector` query: check `selectsAnything`.
   */
  static nothing(): Selector {
    return Selector.none;
  }

  static of(requirements: readonly Requirement[]): Selector {
    if (requirements.length === 0) return Selector.all;
    return new Selector(
      [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
      true,
    );
  }

  /** True when the selector does not restrict anything (upstream `Empty()`; false for `nothing()`). */
  get empty(): boolean {
    return this.selectable && this.requirements.length === 0;
  }

  /** False only for `nothing()`, which is empty of requirements yet selects no object. */
  get selectsAnything(): boolean {
    return this.selectable;
  }

  matches(labels: Labels): boolean {
    return this.selectable && this.requirements.every((r) => requirementMatches(r, labels));
  }

  /** The value a selector demands for `key` (`key=v`, `key==v`, `key in (v)`), if it demands exactly one. */
  exactValue(key: string): string | undefined {
    const r = this.requirements.find((x) => x.key === key);
    if (r && (r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1) return r.values[0];
    return undefined;
  }

  /** The canonical form, as upstream's `String()`: sorted by key, `in`/`notin` values sorted. */
  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

/** A selector that matches exactly these labels; no labels means everything. Not validated, as upstream. */
export function selectorFromSet(labels: Labels | undefined): Selector {
  return Selector.of(Object.keys(labels ?? {}).map((key) => ({ key, operator: '=' as const, values: [labels![key]] })));
}

// ---- parsing the string form -------------------------------------------------------------

type TokenKind =
  | 'identifier'
  | 'end'
  | ')'
  | '('
  | ','
  | '!'
  | '='
  | '=='
  | '!='
  | '>'
  | '<'
  | 'in'
  | 'notin';

interface Token {
  kind: TokenKind;
  text: string;
  /** 0-based offset of the token's first character. */
  at: number;
}

const symbols: readonly TokenKind[] = ['!=', '==', '=', '!', '(', ')', ',', '>', '<'];
const isSpecial = (ch: string): boolean => '=!(),><'.includes(ch);
const isSpace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';

function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  for (;;) {
    while (i < input.length && isSpace(input[i])) i++;
    if (i >= input.length) {
      tokens.push({ kind: 'end', text: '', at: input.length });
      return tokens;
    }
    const start = i;
    if (isSpecial(input[i])) {
      // Longest operator first: `!=` before `!`, `==` before `=`.
      const symbol = symbols.find((s) => input.startsWith(s, i))!;
      i += symbol.length;
      tokens.push({ kind: symbol, text: symbol, at: start });
      continue;
    }
    while (i < input.length && !isSpecial(input[i]) && !isSpace(input[i])) i++;
    const text = input.slice(start, i);
    tokens.push({ kind: text === 'in' || text === 'notin' ? text : 'identifier', text, at: start });
  }
}

const binaryOperators = 'in, notin, =, ==, !=, gt, lt';

class Parser {
  private position = 0;
  private readonly tokens: Token[];

  constructor(private readonly input: string) {
    this.tokens = lex(input);
  }

  /** Where a value is expected, `in` and `notin` are plain words (`x in (in)` is valid). */
  private peek(asValue: boolean): Token {
    const t = this.tokens[this.position];
    return asValue && (t.kind === 'in' || t.kind === 'notin') ? { ...t, kind: 'identifier' } : t;
  }

  private next(asValue: boolean): Token {
    const t = this.peek(asValue);
    this.position++;
    return t;
  }

  private fail(token: Token, what: string, inRequirement = true): never {
    const found = token.kind === 'end' ? 'end of string' : `'${token.text}'`;
    throw this.error(`found ${found}, expected: ${what}`, token.at, inRequirement);
  }

  private error(message: string, at: number, inRequirement = true): BadRequest {
    const prefix = inRequirement ? 'unable to parse requirement: ' : '';
    return new BadRequest(`${prefix}${message} (label selector "${this.input}", column ${at + 1})`);
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const t = this.peek(true);
      if (t.kind === 'end') return requirements;
      if (t.kind !== 'identifier' && t.kind !== '!') this.fail(t, "!, identifier, or 'end of string'", false);
      requirements.push(this.requirement());
      const after = this.next(true);
      if (after.kind === 'end') return requirements;
      if (after.kind !== ',') this.fail(after, "',' or 'end of string'", false);
      const following = this.peek(true);
      if (following.kind !== 'identifier' && following.kind !== '!') this.fail(following, "identifier after ','", false);
    }
  }

  private requirement(): Requirement {
    let t = this.next(true);
    const negated = t.kind === '!';
    if (negated) t = this.next(true);
    if (t.kind !== 'identifier') this.fail(t, 'identifier');
    const key = t.text;
    const keyErrors = labelKeyErrors(key);
    if (keyErrors.length > 0) throw this.error(`invalid label key "${key}": ${keyErrors.join('; ')}`, t.at);
    // `!key` takes no operator; whatever follows it is reported by the caller, as upstream does.
    if (negated) return { key, operator: '!', values: [] };
    const lookahead = this.peek(true).kind;
    if (lookahead === 'end' || lookahead === ',') return { key, operator: 'exists', values: [] };
    const operatorToken = this.next(false);
    const operator = ((): Operator => {
      switch (operatorToken.kind) {
        case 'in':
        case 'notin':
        case '=':
        case '==':
        case '!=':
          return operatorToken.kind;
        case '>':
          return 'gt';
        case '<':
          return 'lt';
        default:
          return this.fail(operatorToken, binaryOperators);
      }
    })();
    const valuesAt = this.peek(true).at;
    const values = operator === 'in' || operator === 'notin' ? this.setValues() : [this.exactValue()];
    this.checkValues(key, operator, values, valuesAt);
    return { key, operator, values };
  }

  private setValues(): string[] {
    const open = this.next(true);
    if (open.kind !== '(') this.fail(open, "'('");
    const values = new Set<string>();
    const first = this.peek(true);
    if (first.kind === ')') {
      this.next(true);
      return [''];
    }
    if (first.kind !== 'identifier' && first.kind !== ',') this.fail(first, "',', ')' or identifier");
    // A list of possibly empty values: `(a,,b)` and `(,a)` both hold the empty string.
    for (;;) {
      const t = this.next(true);
      if (t.kind === 'identifier') {
        values.add(t.text);
        const after = this.peek(true);
        if (after.kind === ')') break;
        if (after.kind !== ',') this.fail(after, "',' or ')'");
        continue;
      }
      if (t.kind !== ',') this.fail(t, "',', or identifier");
      if (values.size === 0) values.add('');
      const after = this.peek(true);
      if (after.kind === ')') {
        values.add('');
        break;
      }
      if (after.kind === ',') {
        this.next(true);
        values.add('');
      }
    }
    this.next(true);
    return [...values].sort();
  }

  private exactValue(): string {
    const t = this.peek(true);
    if (t.kind === 'end' || t.kind === ',') return '';
    this.next(true);
    if (t.kind !== 'identifier') this.fail(t, 'identifier');
    return t.text;
  }

  private checkValues(key: string, operator: Operator, values: string[], at: number): void {
    if ((operator === 'gt' || operator === 'lt') && parseInt64(values[0]) === undefined) {
      throw this.error(`for 'gt', 'lt' operators, the value must be an integer, found "${values[0]}"`, at);
    }
    for (const value of values) {
      const errors = labelValueErrors(value);
      if (errors.length > 0) throw this.error(`invalid value "${value}" for label "${key}": ${errors.join('; ')}`, at);
    }
  }
}

/**
 * Parses a `labelSelector` query parameter. The empty string selects everything.
 * Throws BadRequest naming the problem, the selector and the 1-based column of the offending token.
 */
export function parseLabelSelector(input: string): Selector {
  return Selector.of(new Parser(input).parse());
}

// ---- the structured form: metav1.LabelSelector --------------------------------------------

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

const expressionOperators: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * Converts a `metav1.LabelSelector` (a Deployment's `spec.selector`, a Service's pods...) as
 * upstream `LabelSelectorAsSelector` does: absent → nothing, `{}` → everything. A bad key, value
 * or operator throws Invalid whose causes name the field under `path`
 * (e.g. `spec.selector.matchExpressions[0].operator`).
 */
export function fromLabelSelector(selector: LabelSelector | null | undefined, path = 'selector'): Selector {
  if (selector === null || selector === undefined) return Selector.nothing();
  const causes: Cause[] = [];
  const invalid = (field: string, value: string, detail: string): void => {
    causes.push({ reason: 'FieldValueInvalid', field, message: `Invalid value: ${JSON.stringify(value)}: ${detail}` });
  };
  const requirements: Requirement[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    const field = `${path}.matchLabels`;
    labelKeyErrors(key).forEach((e) => invalid(field, key, e));
    labelValueErrors(value).forEach((e) => invalid(field, value, e));
    requirements.push({ key, operator: '=', values: [value] });
  }
  (selector.matchExpressions ?? []).forEach((expression, index) => {
    const field = `${path}.matchExpressions[${index}]`;
    labelKeyErrors(expression.key).forEach((e) => invalid(`${field}.key`, expression.key, e));
    const operator = expressionOperators[expression.operator];
    const values = expression.values ?? [];
    if (operator === undefined) {
      causes.push({
        reason: 'FieldValueNotSupported',
        field: `${field}.operator`,
        message: `Unsupported value: ${JSON.stringify(expression.operator)}: supported values: "In", "NotIn", "Exists", "DoesNotExist"`,
      });
      return;
    }
    if ((operator === 'in' || operator === 'notin') && values.length === 0) {
      causes.push({
        reason: 'FieldValueRequired',
        field: `${field}.values`,
        message: "Required value: must be specified when `operator` is 'In' or 'NotIn'",
      });
    }
    if ((operator === 'exists' || operator === '!') && values.length > 0) {
      causes.push({
        reason: 'FieldValueForbidden',
        field: `${field}.values`,
        message: "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      });
    }
    values.forEach((v, i) => labelValueErrors(v).forEach((e) => invalid(`${field}.values[${i}]`, v, e)));
    requirements.push({ key: expression.key, operator, values: operator === 'in' || operator === 'notin' ? [...new Set(values)].sort() : values });
  });
  if (causes.length > 0) {
    const described = causes.map((c) => `${c.field}: ${c.message}`);
    throw new Invalid(described.length === 1 ? described[0] : `[${described.join(', ')}]`, { causes });
  }
  return Selector.of(requirements);
}
