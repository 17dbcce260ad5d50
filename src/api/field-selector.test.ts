import { BadRequest } from './errors';
import { checkFieldSelector, commonSelectableFields, FieldSelector, parseFieldSelector } from './field-selector';

describe('parseFieldSelector', () => {
  it.each([
    ['', [], ''],
    ['metadata.name=web', [['metadata.name', '=', 'web']], 'metadata.name=web'],
    ['metadata.name==web', [['metadata.name', '==', 'web']], 'metadata.name=web'],
    ['status.phase!=Running', [['status.phase', '!=', 'Running']], 'status.phase!=Running'],
    [
      'spec.nodeName=n1,metadata.namespace=default',
      [
        ['metadata.namespace', '=', 'default'],
        ['spec.nodeName', '=', 'n1'],
      ],
      'metadata.namespace=default,spec.nodeName=n1',
    ],
    ['a=,,b=x', [['a', '=', ''], ['b', '=', 'x']], 'a=,b=x'],
    ['a=x\\,y\\=z\\\\', [['a', '=', 'x,y=z\\']], 'a=x\\,y\\=z\\\\'],
    [
      'involvedObject.kind=Deployment,involvedObject.uid=1b2c,involvedObject.name=web',
      [
        ['involvedObject.kind', '=', 'Deployment'],
        ['involvedObject.name', '=', 'web'],
        ['involvedObject.uid', '=', '1b2c'],
      ],
      'involvedObject.kind=Deployment,involvedObject.name=web,involvedObject.uid=1b2c',
    ],
  ])('parses %j', (input, requirements, canonical) => {
    const selector = parseFieldSelector(input);
    expect(selector.requirements.map((r) => [r.field, r.operator, r.value])).toEqual(requirements);
    expect(selector.toString()).toBe(canonical);
    expect(parseFieldSelector(selector.toString()).toString()).toBe(canonical);
  });

  it.each([
    ['a', `invalid field selector "a": can't understand "a" (expected field=value, field==value or field!=value) at column 1`],
    ['x=1,b', `invalid field selector "x=1,b": can't understand "b" (expected field=value, field==value or field!=value) at column 5`],
    ['=x', 'invalid field selector "=x": missing field name before "=" at column 1'],
    ['a=b=c', 'invalid field selector "a=b=c": unescaped "=" in value (write "\\=") at column 4'],
    ['a=b\\q', 'invalid field selector "a=b\\q": invalid escape sequence "\\q" in value at column 4'],
    ['a=b\\', 'invalid field selector "a=b\\": invalid escape sequence "\\" in value at column 4'],
  ])('rejects %j with BadRequest', (input, message) => {
    const attempt = (): FieldSelector => parseFieldSelector(input);
    expect(attempt).toThrow(BadRequest);
    expect(attempt).toThrow(message);
  });
});

describe('FieldSelector.matches', () => {
  const pod: Record<string, string> = { 'metadata.name': 'web-1', 'spec.nodeName': 'n1', 'status.phase': 'Running' };
  const get = (field: string): string | undefined => pod[field];
  it.each([
    ['', true],
    ['metadata.name=web-1', true],
    ['metadata.name=web-2', false],
    ['spec.nodeName=n1,status.phase=Running', true],
    ['spec.nodeName=n1,status.phase!=Running', false],
    ['status.phase!=Failed', true],
    ['spec.hostname=', true],
    ['spec.hostname!=', false],
  ])('%j on a running pod web-1 on n1 is %s', (selector, expected) => {
    expect(parseFieldSelector(selector).matches(get)).toBe(expected);
  });

  it('reports the value demanded for a field', () => {
    const selector = parseFieldSelector('metadata.name=web,status.phase!=Failed');
    expect(selector.exactValue('metadata.name')).toBe('web');
    expect(selector.exactValue('status.phase')).toBeUndefined();
    expect(FieldSelector.everything().empty).toBe(true);
  });
});

describe('checkFieldSelector', () => {
  const podFields = [...commonSelectableFields, 'spec.nodeName', 'status.phase'];

  it('accepts the fields a kind supports', () => {
    expect(() => checkFieldSelector(parseFieldSelector('metadata.name=a,spec.nodeName=n1'), podFields, 'Pod')).not.toThrow();
  });

  it('rejects any other field with a 400 naming it and the kind', () => {
    const attempt = (): void => checkFieldSelector(parseFieldSelector('metadata.name=a,spec.foo=x'), podFields, 'Pod');
    expect(attempt).toThrow(BadRequest);
    expect(attempt).toThrow(
      'unsupported field selector "spec.foo" for kind "Pod" (supported: metadata.name, metadata.namespace, spec.nodeName, status.phase)',
    );
  });
});
