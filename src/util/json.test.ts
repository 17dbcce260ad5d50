import { clone, deepEqual, getPath, setPath } from './json';

describe('json helpers', () => {
  it.each([
    [{ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }, true],
    [{ a: 1 }, { a: 1, b: undefined }, true],
    [{ a: 1 }, { a: 2 }, false],
    [[1, 2], [2, 1], false],
    [{ a: [] }, { a: {} }, false],
    [null, {}, false],
    ['1', 1, false],
  ])('deepEqual(%j, %j) is %s', (a, b, expected) => {
    expect(deepEqual(a, b)).toBe(expected);
  });

  it('clones without sharing', () => {
    const a = { x: { y: [1] } };
    const b = clone(a);
    b.x.y.push(2);
    expect(a.x.y).toEqual([1]);
  });

  it('reads and writes dotted paths', () => {
    const o: Record<string, unknown> = {};
    setPath(o, 'spec.replicas', 3);
    expect(o).toEqual({ spec: { replicas: 3 } });
    expect(getPath(o, '.spec.replicas')).toBe(3);
    expect(getPath(o, 'status.replicas')).toBeUndefined();
  });
});
