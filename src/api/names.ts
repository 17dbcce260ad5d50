/**
 * Name, label and annotation checks with upstream's messages (apimachinery
 * `pkg/util/validation`), and the random suffix for `generateName`. Each `is...` function
 * returns the list of problems, empty when the value is fine, as upstream's do.
 */
import { randomInt } from 'node:crypto';
import type { Cause } from './errors';

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const WILDCARD_DNS1123_SUBDOMAIN = `\\*\\.${DNS1123_SUBDOMAIN}`;
const DNS1035_LABEL = '[a-z]([-a-z0-9]*[a-z0-9])?';
const LABEL_KEY_NAME = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE = `(${LABEL_KEY_NAME})?`;

const anchored = (pattern: string): RegExp => new RegExp(`^${pattern}$`);
const dns1123LabelRegexp = anchored(DNS1123_LABEL);
const dns1123SubdomainRegexp = anchored(DNS1123_SUBDOMAIN);
const wildcardDns1123SubdomainRegexp = anchored(WILDCARD_DNS1123_SUBDOMAIN);
const dns1035LabelRegexp = anchored(DNS1035_LABEL);
const labelKeyNameRegexp = anchored(LABEL_KEY_NAME);
const labelValueRegexp = anchored(LABEL_VALUE);

export const DNS1123_LABEL_MAX_LENGTH = 63;
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
export const LABEL_VALUE_MAX_LENGTH = 63;
/** Annotations of one object together: 256 KiB, as upstream's TotalAnnotationSizeLimitB. */
export const ANNOTATIONS_MAX_BYTES = 256 * 1024;

export function maxLengthError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** upstream's RegexError: the rule, examples, and the regex itself. */
export function regexError(message: string, pattern: string, ...examples: string[]): string {
  if (examples.length === 0) return `${message} (regex used for validation is '${pattern}')`;
  return `${message} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${pattern}')`;
}

/** A DNS (RFC 1123) label: namespace names, most short identifiers. */
export function isDNS1123Label(value: string): string[] {
  const problems: string[] = [];
  if (value.length > DNS1123_LABEL_MAX_LENGTH) problems.push(maxLengthError(DNS1123_LABEL_MAX_LENGTH));
  if (!dns1123LabelRegexp.test(value)) {
    if (dns1123SubdomainRegexp.test(value)) problems.push('must not contain dots');
    else {
      problems.push(
        regexError(
          'a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character',
          DNS1123_LABEL,
          'my-name',
          '123-abc',
        ),
      );
    }
  }
  return problems;
}

/** A DNS (RFC 1123) subdomain: the names of most objects. */
export function isDNS1123Subdomain(value: string): string[] {
  const problems: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX_LENGTH) problems.push(maxLengthError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!dns1123SubdomainRegexp.test(value)) {
    problems.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        DNS1123_SUBDOMAIN,
        'example.com',
      ),
    );
  }
  return problems;
}

/** `*.` and a DNS subdomain: the wildcard hosts of Ingress rules and TLS entries. */
export function isWildcardDNS1123Subdomain(value: string): string[] {
  const problems: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX_LENGTH) problems.push(maxLengthError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!wildcardDns1123SubdomainRegexp.test(value)) {
    problems.push(
      regexError(
        "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character",
        WILDCARD_DNS1123_SUBDOMAIN,
        '*.example.com',
      ),
    );
  }
  return problems;
}

/** A DNS (RFC 1035) label: Service names, CRD plural/singular names and versions. */
export function isDNS1035Label(value: string): string[] {
  const problems: string[] = [];
  if (value.length > DNS1123_LABEL_MAX_LENGTH) problems.push(maxLengthError(DNS1123_LABEL_MAX_LENGTH));
  if (!dns1035LabelRegexp.test(value)) {
    problems.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        DNS1035_LABEL,
        'my-name',
        'abc-123',
      ),
    );
  }
  return problems;
}

const LABEL_KEY_MESSAGE = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** A qualified name: label and annotation keys, `[prefix/]name`. */
export function isQualifiedName(value: string): string[] {
  const parts = value.split('/');
  let name: string;
  const problems: string[] = [];
  if (parts.length === 1) name = parts[0];
  else if (parts.length === 2) {
    const [prefix] = parts;
    name = parts[1];
    if (prefix.length === 0) problems.push('prefix part must be non-empty');
    else problems.push(...isDNS1123Subdomain(prefix).map((p) => `prefix part ${p}`));
  } else {
    return [
      `a valid label key ${regexError(LABEL_KEY_MESSAGE, LABEL_KEY_NAME, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) problems.push('name part must be non-empty');
  else if (name.length > DNS1123_LABEL_MAX_LENGTH) problems.push(`name part ${maxLengthError(DNS1123_LABEL_MAX_LENGTH)}`);
  if (!labelKeyNameRegexp.test(name)) problems.push(`name part ${regexError(LABEL_KEY_MESSAGE, LABEL_KEY_NAME, 'MyName', 'my.name', '123-abc')}`);
  return problems;
}

export function isValidLabelValue(value: string): string[] {
  const problems: string[] = [];
  if (value.length > LABEL_VALUE_MAX_LENGTH) problems.push(maxLengthError(LABEL_VALUE_MAX_LENGTH));
  if (!labelValueRegexp.test(value)) {
    problems.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        LABEL_VALUE,
        'MyValue',
        'my_value',
        '12345',
      ),
    );
  }
  return problems;
}

/**
 * Anything that fits in one URL path segment (apimachinery `path.IsValidPathSegmentName`): the
 * minimal rule of RBAC roles and bindings, whose names are often like `system:controller:foo`.
 */
export function isValidPathSegmentName(value: string): string[] {
  if (value === '.' || value === '..') return [`may not be '${value}'`];
  return ['/', '%'].filter((c) => value.includes(c)).map((c) => `may not contain '${c}'`);
}

/**
 * Which rule an object's name follows: most kinds a subdomain, Namespaces a label, Services an
 * RFC 1035 label, RBAC roles and bindings a path segment.
 */
export type NameRule = 'dns1123-subdomain' | 'dns1123-label' | 'dns1035-label' | 'path-segment';

const ruleChecks: Record<NameRule, (value: string) => string[]> = {
  'dns1123-subdomain': isDNS1123Subdomain,
  'dns1123-label': isDNS1123Label,
  'dns1035-label': isDNS1035Label,
  'path-segment': isValidPathSegmentName,
};

/**
 * Problems with an object name under `rule`. With `prefix` (a generateName) a trailing '-' is
 * allowed, because the random suffix follows it: upstream masks it before checking.
 */
export function nameProblems(name: string, rule: NameRule, prefix = false): string[] {
  const value = prefix && name.endsWith('-') ? `${name.slice(0, -1)}a` : name;
  return ruleChecks[rule](value);
}

const REQUIRED_VALUE = 'Required value';

const invalid = (field: string, value: string, message: string): Cause => ({
  reason: 'FieldValueInvalid',
  message: `Invalid value: ${JSON.stringify(value)}: ${message}`,
  field,
});

/** The name checks of upstream's ValidateObjectMeta: name or generateName, namespace, labels, annotations. */
export function validateObjectMetaNames(
  meta: { name?: string; generateName?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> },
  options: { rule: NameRule; namespaced: boolean },
): Cause[] {
  const causes: Cause[] = [];
  if (meta.generateName) {
    for (const p of nameProblems(meta.generateName, options.rule, true)) causes.push(invalid('metadata.generateName', meta.generateName, p));
  }
  if (!meta.name && !meta.generateName) {
    causes.push({ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' });
  } else if (meta.name) {
    for (const p of nameProblems(meta.name, options.rule)) causes.push(invalid('metadata.name', meta.name, p));
  }
  if (options.namespaced) {
    if (!meta.namespace) causes.push({ reason: 'FieldValueRequired', message: REQUIRED_VALUE, field: 'metadata.namespace' });
    else for (const p of isDNS1123Label(meta.namespace)) causes.push(invalid('metadata.namespace', meta.namespace, p));
  } else if (meta.namespace) {
    causes.push({ reason: 'FieldValueForbidden', message: 'Forbidden: not allowed on this type', field: 'metadata.namespace' });
  }
  causes.push(...validateLabels(meta.labels ?? {}, 'metadata.labels'));
  causes.push(...validateAnnotations(meta.annotations ?? {}, 'metadata.annotations'));
  return causes;
}

export function validateLabels(labels: Record<string, string>, field: string): Cause[] {
  const causes: Cause[] = [];
  for (const [key, value] of Object.entries(labels)) {
    for (const p of isQualifiedName(key)) causes.push(invalid(field, key, p));
    for (const p of isValidLabelValue(value)) causes.push(invalid(field, value, p));
  }
  return causes;
}

export function validateAnnotations(annotations: Record<string, string>, field: string): Cause[] {
  const causes: Cause[] = [];
  let bytes = 0;
  for (const [key, value] of Object.entries(annotations)) {
    for (const p of isQualifiedName(key.toLowerCase())) causes.push(invalid(field, key, p));
    bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  if (bytes > ANNOTATIONS_MAX_BYTES) {
    causes.push({ reason: 'FieldValueTooLong', message: `Too long: must have at most ${ANNOTATIONS_MAX_BYTES} bytes`, field });
  }
  return causes;
}

/** Consonants and digits only, so a generated suffix never spells a word (upstream's utilrand alphabet). */
export const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
export const NAME_SUFFIX_LENGTH = 5;
const MAX_GENERATED_BASE_LENGTH = DNS1123_LABEL_MAX_LENGTH - NAME_SUFFIX_LENGTH;

/** `web-` → `web-x7k2q`: the base cut to 58 characters, then 5 random characters. */
export function generateName(base: string): string {
  let suffix = '';
  for (let i = 0; i < NAME_SUFFIX_LENGTH; i++) suffix += NAME_SUFFIX_ALPHABET[randomInt(NAME_SUFFIX_ALPHABET.length)];
  return `${base.slice(0, MAX_GENERATED_BASE_LENGTH)}${suffix}`;
}
