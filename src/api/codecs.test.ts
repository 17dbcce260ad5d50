import * as t from 'io-ts';
import { check } from './decode';
import { enumOf, struct } from './codecs';
import { base64, int32, int64, intOrString, quantity, time } from './scalars';

const Widget = struct('Widget', { name: t.string }, { size: int32, color: enumOf('Color', ['red', 'blue']) });

describe('struct', () => {
  it('keeps fields it does not know, leaving that choice to unknown-field handling', () => {
    const value = { name: 'w', extra: { deep: true } };
    expect(Widget.decode(value)).toEqual({ _tag: 'Right', right: value });
  });

  it('returns the very same object when nothing changed', () => {
    const value = { name: 'w', size: 3 };
    const result = Widget.decode(value);
    expect(result._tag === 'Right' && result.right).toBe(value);
  });

  it('reads null in an optional field as absent and drops it, without touching the input', () => {
    const value = { name: 'w', size: null };
    const result = Widget.decode(value);
    expect(result._tag === 'Right' && result.right).toEqual({ name: 'w' });
    expect(value).toEqual({ name: 'w', size: null });
  });

  it('reports a required field given as null as missing', () => {
    expect(check(Widget, { name: null })).toEqual([{ field: 'name', reason: 'FieldValueRequired', message: 'Required value' }]);
  });

  it('answers `is` like validate', () => {
    expect(Widget.is({ name: 'w', color: 'red' })).toBe(true);
    expect(Widget.is({ name: 'w', color: 'green' })).toBe(false);
    expect(Widget.is({ size: 1 })).toBe(false);
  });

  it('encodes through the codecs of its fields', () => {
    const Doubling = new t.Type<number, number, unknown>('Doubling', t.number.is, t.number.validate, (n) => n * 2);
    const codec = struct('S', { n: Doubling }, { m: Doubling });
    expect(codec.encode({ n: 1 })).toEqual({ n: 2 });
  });
});

describe('scalars', () => {
  it.each([
    [int32, 2147483647, undefined],
    [int32, 2147483648, 'must be a 32-bit integer'],
    [int32, '1', 'must be an integer'],
    [int64, 2 ** 53 - 1, undefined],
    [intOrString, 8080, undefined],
    [intOrString, 'http', undefined],
    [intOrString, 1.5, 'must be an integer or a string'],
    [quantity, '500m', undefined],
    [quantity, '1.5Gi', undefined],
    [quantity, '1e3', undefined],
    [quantity, 0.5, undefined],
    [quantity, '5 cores', "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    [time, '2024-06-01T10:00:00Z', undefined],
    [time, '2024-06-01T10:00:00.123456+02:00', undefined],
    [time, '2024-06-01 10:00', 'must be an RFC 3339 date-time (e.g. 2006-01-02T15:04:05Z)'],
    [time, '2024-13-45T10:00:00Z', 'must be an RFC 3339 date-time (e.g. 2006-01-02T15:04:05Z)'],
    [base64, 'czNjcjN0', undefined],
    [base64, 'not base64!', 'must be base64-encoded'],
  ])('%s accepts or explains %p', (codec, value, problem) => {
    expect(codec.problem(value)).toBe(problem);
  });
});
