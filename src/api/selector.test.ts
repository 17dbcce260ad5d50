import { BadRequest, Invalid } from './errors';
import { fromLabelSelector, parseLabelSelector, Selector, selectorFromSet } from './selector';

describe('parseLabelSelector', () => {
  it.each([
    ['', ''],
    ['a=b', 'a=b'],
    ['a==b', 'a==b'],
    ['a!=b', 'a!=b'],
    ['b=1,a=2', 'a=2,b=1'],
    [' a = b , c ', 'a=b,c'],
    ['x in (c,a,b)', 'x in (a,b,c)'],
    ['x notin (b, a, b)', 'x notin (a,b)'],
    ['x', 'x'],
    ['!x', '!x'],
    ['x>1', 'x>1'],
    ['x<10', 'x<10'],
    ['x in (in)', 'x in (in)'],
    ['in in (notin)', 'in in (notin)'],
    ['x in ()', 'x in ()'],
    ['x in (a,,b)', 'x in (,a,b)'],
    ['x=', 'x='],
    ['example.com/app=web', 'example.com/app=web'],
    ['d,!c,b notin (y),a in (x)', 'a in (x),b notin (y),!c,d'],
  ])('parses %j to the canonical %j', (input, canonical) => {
    expect(parseLabelSelector(input).toString()).toBe(canonical);
  });

  it.each([
    ['a=b,,c', `found ',', expected: identifier after ',' (label selector "a=b,,c", column 5)`],
    [',a', `found ',', expected: !, identifier, or 'end of string' (label selector ",a", column 1)`],
    ['a=b c', `found 'c', expected: ',' or 'end of string' (label selector "a=b c", column 5)`],
    ['!a=b', `found '=', expected: ',' or 'end of string' (label selector "!a=b", column 3)`],
    ['a b', `unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt (label selector "a b", column 3)`],
    ['x in (a', `unable to parse requirement: found end of string, expected: ',' or ')' (label selector "x in (a", column 8)`],
    ['x in a', `unable to parse requirement: found 'a', expected: '(' (label selector "x in a", column 6)`],
    ['x in (a b)', `unable to parse requirement: found 'b', expected: ',' or ')' (label selector "x in (a b)", column 9)`],
    ['a=(', `unable to parse requirement: found '(', expected: identifier (label selector "a=(", column 3)`],
    ['a>x', `unable to parse requirement: for 'gt', 'lt' operators, the value must be an integer, found "x" (label selector "a>x", column 3)`],
    [
      '-a=b',
      'unable to parse requirement: invalid label key "-a": name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', ' +
        "and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', " +
        "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') (label selector \"-a=b\", column 1)",
    ],
    [
      'a=b@c',
      'unable to parse requirement: invalid value "b@c" for label "a": a valid label must be an empty string or consist of ' +
        "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
        "(e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?') " +
        '(label selector "a=b@c", column 3)',
    ],
    ['a/b/c', /^unable to parse requirement: invalid label key "a\/b\/c": a qualified name must consist of/],
    ['/a', /^unable to parse requirement: invalid label key "\/a": prefix part must be non-empty/],
    [`a=${'v'.repeat(64)}`, /invalid value "v{64}" for label "a": must be no more than 63 characters/],
  ])('rejects %j with BadRequest: %s', (input, message) => {
    const attempt = (): Selector => parseLabelSelector(input);
    expect(attempt).toThrow(BadRequest);
    expect(attempt).toThrow(message);
  });
});

describe('Selector.matches', () => {
  const labels = { app: 'web', tier: 'front', version: '3', empty: '' };
  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app=db', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['app in (db,web)', true],
    ['app in (db)', false],
    ['missing in (x)', false],
    ['app notin (db)', true],
    ['app notin (web)', false],
    ['missing notin (web)', true],
    ['app', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['version>2', true],
    ['version>3', false],
    ['version<4', true],
    ['app>1', false],
    ['missing<1', false],
    ['empty=', true],
    ['empty in ()', true],
    ['app=web,tier=front', true],
    ['app=web,tier=back', false],
  ])('%j on {app: web, tier: front, version: 3, empty: ""} is %s', (selector, expected) => {
    expect(parseLabelSelector(selector).matches(labels)).toBe(expected);
  });

  it('keeps the empty selector (everything) apart from the absent one (nothing)', () => {
    expect(Selector.everything().empty).toBe(true);
    expect(Selector.everything().matches({})).toBe(true);
    expect(Selector.nothing().empty).toBe(false);
    expect(Selector.nothing().matches({})).toBe(false);
    expect(Selector.nothing().matches({ app: 'web' })).toBe(false);
    expect(Selector.nothing().toString()).toBe('');
  });

  it('reports the one value a selector demands for a key', () => {
    expect(parseLabelSelector('app=web,tier in (a,b)').exactValue('app')).toBe('web');
    expect(parseLabelSelector('app in (web)').exactValue('app')).toBe('web');
    expect(parseLabelSelector('tier in (a,b)').exactValue('tier')).toBeUndefined();
    expect(parseLabelSelector('app!=web').exactValue('app')).toBeUndefined();
  });
});

describe('selectorFromSet', () => {
  it('matches exactly the given labels and prints them sorted', () => {
    const selector = selectorFromSet({ tier: 'front', app: 'web' });
    expect(selector.toString()).toBe('app=web,tier=front');
    expect(selector.matches({ app: 'web', tier: 'front', other: 'x' })).toBe(true);
    expect(selector.matches({ app: 'web' })).toBe(false);
  });

  it('selects everything for no labels', () => {
    expect(selectorFromSet({}).empty).toBe(true);
    expect(selectorFromSet(undefined).matches({ any: 'thing' })).toBe(true);
  });
});

describe('fromLabelSelector', () => {
  it('converts matchLabels and matchExpressions into the form kubectl sends', () => {
    const selector = fromLabelSelector({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['front', 'back'] },
        { key: 'env', operator: 'NotIn', values: ['prod'] },
        { key: 'canary', operator: 'Exists' },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    });
    expect(selector.toString()).toBe('app=web,canary,env notin (prod),!legacy,tier in (back,front)');
    expect(selector.matches({ app: 'web', tier: 'back', canary: '' })).toBe(true);
    expect(selector.matches({ app: 'web', tier: 'back', canary: '', legacy: 'y' })).toBe(false);
    expect(parseLabelSelector(selector.toString()).toString()).toBe(selector.toString());
  });

  it('selects nothing for an absent selector and everything for an empty one', () => {
    expect(fromLabelSelector(undefined).matches({})).toBe(false);
    expect(fromLabelSelector(null).selectsAnything).toBe(false);
    expect(fromLabelSelector({}).empty).toBe(true);
    expect(fromLabelSelector({ matchLabels: {}, matchExpressions: [] }).matches({ a: 'b' })).toBe(true);
  });

  const invalid = (selector: Parameters<typeof fromLabelSelector>[0]): Invalid => {
    try {
      fromLabelSelector(selector, 'spec.selector');
    } catch (e) {
      if (e instanceof Invalid) return e;
      throw e;
    }
    throw new Error('expected Invalid');
  };

  it('names the field path of an unsupported operator', () => {
    const error = invalid({ matchExpressions: [{ key: 'a', operator: 'Equals', values: ['x'] }] });
    expect(error.code).toBe(422);
    expect(error.message).toBe(
      'spec.selector.matchExpressions[0].operator: Unsupported value: "Equals": supported values: "In", "NotIn", "Exists", "DoesNotExist"',
    );
    expect(error.causes).toEqual([
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.selector.matchExpressions[0].operator',
        message: 'Unsupported value: "Equals": supported values: "In", "NotIn", "Exists", "DoesNotExist"',
      },
    ]);
  });

  it('requires values for In and forbids them for Exists, naming each field', () => {
    const error = invalid({
      matchExpressions: [
        { key: 'a', operator: 'In', values: [] },
        { key: 'b', operator: 'Exists', values: ['x'] },
      ],
    });
    expect(error.causes.map((c) => [c.reason, c.field])).toEqual([
      ['FieldValueRequired', 'spec.selector.matchExpressions[0].values'],
      ['FieldValueForbidden', 'spec.selector.matchExpressions[1].values'],
    ]);
    expect(error.message).toMatch(/^\[spec\.selector\.matchExpressions\[0\]\.values: Required value: .*, spec\.selector\.matchExpressions\[1\]\.values: Forbidden: /);
  });

  it('names bad keys and values', () => {
    const error = invalid({
      matchLabels: { 'bad key': 'ok' },
      matchExpressions: [{ key: 'k', operator: 'In', values: ['ok', 'bad value'] }],
    });
    expect(error.causes.map((c) => c.field)).toEqual(['spec.selector.matchLabels', 'spec.selector.matchExpressions[0].values[1]']);
    expect(error.causes[0].message).toMatch(/^Invalid value: "bad key": name part must consist of/);
    expect(error.causes[1].message).toMatch(/^Invalid value: "bad value": a valid label must be/);
  });
});
