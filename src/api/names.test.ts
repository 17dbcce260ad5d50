import {
  generateName,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPathSegmentName,
  NAME_SUFFIX_ALPHABET,
  nameProblems,
  validateObjectMetaNames,
} from './names';

const SUBDOMAIN_RULE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_RULE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const RFC1035_RULE =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

describe('names', () => {
  it.each([
    ['web', []],
    ['web.shop.example', []],
    ['Web', [SUBDOMAIN_RULE]],
    ['web-', [SUBDOMAIN_RULE]],
    ['a'.repeat(254), ['must be no more than 253 characters']],
  ])('DNS-1123 subdomain %p', (value, problems) => {
    expect(isDNS1123Subdomain(value)).toEqual(problems);
  });

  it.each([
    ['shop', []],
    ['123-abc', []],
    ['shop.prod', ['must not contain dots']],
    ['Shop', [LABEL_RULE]],
    ['a'.repeat(64), ['must be no more than 63 characters']],
  ])('DNS-1123 label %p', (value, problems) => {
    expect(isDNS1123Label(value)).toEqual(problems);
  });

  it.each([
    ['web', []],
    ['1web', [RFC1035_RULE]],
    ['web-1', []],
  ])('RFC 1035 label (Service names) %p', (value, problems) => {
    expect(isDNS1035Label(value)).toEqual(problems);
  });

  it.each([
    ['app', []],
    ['app.kubernetes.io/name', []],
    ['/name', ['prefix part must be non-empty']],
    ['example.com/', ['name part must be non-empty', expect.stringMatching(/^name part must consist of alphanumeric/)]],
    ['a/b/c', [expect.stringMatching(/^a valid label key must consist of/)]],
    ['Example.com/x', [expect.stringMatching(/^prefix part a lowercase RFC 1123 subdomain/)]],
  ])('label key %p', (value, problems) => {
    expect(isQualifiedName(value)).toEqual(problems);
  });

  it.each([
    ['', []],
    ['v1.2_beta-3', []],
    ['-x', [expect.stringMatching(/^a valid label must be an empty string or consist of alphanumeric characters/)]],
    ['x'.repeat(64), ['must be no more than 63 characters']],
  ])('label value %p', (value, problems) => {
    expect(isValidLabelValue(value)).toEqual(problems);
  });

  it.each([
    ['system:controller:job-controller', []],
    ['Edit_Role', []],
    ['.', ["may not be '.'"]],
    ['..', ["may not be '..'"]],
    ['a/b%c', ["may not contain '/'", "may not contain '%'"]],
  ])('path segment name (RBAC roles and bindings) %p', (value, problems) => {
    expect(isValidPathSegmentName(value)).toEqual(problems);
  });

  it('lets a generateName end with a dash, the suffix follows it', () => {
    expect(nameProblems('web-', 'dns1123-subdomain', true)).toEqual([]);
    expect(nameProblems('web-', 'dns1123-subdomain')).not.toEqual([]);
  });

  it('generates a 5-character suffix from the consonant-and-digit alphabet, cutting long bases', () => {
    const name = generateName('web-');
    expect(name).toMatch(new RegExp(`^web-[${NAME_SUFFIX_ALPHABET}]{5}$`));
    expect(generateName('x'.repeat(80))).toHaveLength(63);
    expect(new Set(Array.from({ length: 50 }, () => generateName('a-'))).size).toBeGreaterThan(45);
  });

  it('checks object metadata names as ValidateObjectMeta does', () => {
    expect(validateObjectMetaNames({}, { rule: 'dns1123-subdomain', namespaced: true })).toEqual([
      { field: 'metadata.name', reason: 'FieldValueRequired', message: 'Required value: name or generateName is required' },
      { field: 'metadata.namespace', reason: 'FieldValueRequired', message: 'Required value' },
    ]);
    expect(validateObjectMetaNames({ name: 'Web', namespace: 'shop', labels: { 'app/x/y': 'v' } }, { rule: 'dns1035-label', namespaced: true })).toEqual([
      { field: 'metadata.name', reason: 'FieldValueInvalid', message: `Invalid value: "Web": ${RFC1035_RULE}` },
      { field: 'metadata.labels', reason: 'FieldValueInvalid', message: expect.stringMatching(/^Invalid value: "app\/x\/y": a valid label key/) },
    ]);
    expect(validateObjectMetaNames({ name: 'n1', namespace: 'x' }, { rule: 'dns1123-label', namespaced: false })).toEqual([
      { field: 'metadata.namespace', reason: 'FieldValueForbidden', message: 'Forbidden: not allowed on this type' },
    ]);
  });

  it('limits the total size of annotations', () => {
    const causes = validateObjectMetaNames({ name: 'n', annotations: { big: 'x'.repeat(256 * 1024) } }, { rule: 'dns1123-subdomain', namespaced: false });
    expect(causes).toEqual([{ field: 'metadata.annotations', reason: 'FieldValueTooLong', message: 'Too long: must have at most 262144 bytes' }]);
  });
});
