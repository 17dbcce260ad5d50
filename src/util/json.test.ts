import { clone, deepEqual, getPath, setPath, shareUnchanged } from './json';

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

  it('clones as a trip through JSON text would, member for member', () => {
    const odd = JSON.parse('{"__proto__": {"polluted": true}, "keep": [1, "two", null, true, {"deep": {}}]}');
    const values: unknown[] = [
      odd,
      { gone: undefined, fn: () => 1, list: [undefined, () => 1, NaN, Infinity, -0, 1.5], when: new Date(0), nested: { when: new Date(1000) } },
      [{ a: undefined }, 'text', 0],
      { custom: { toJSON: () => 'as text' } },
      'text',
      7,
      null,
    ];
    for (const value of values) {
      const copy = clone(value);
      expect(JSON.stringify(copy)).toBe(JSON.stringify(value));
      expect(copy).toEqual(JSON.parse(JSON.stringify(value)));
    }
    const copied = clone(odd) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copied)).toBe(Object.prototype);
    expect(Object.keys(copied)).toEqual(['__proto__', 'keep']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads and writes dotted paths', () => {
    const o: Record<string, unknown> = {};
    setPath(o, 'spec.replicas', 3);
    expect(o).toEqual({ spec: { replicas: 3 } });
    expect(getPath(o, '.spec.replicas')).toBe(3);
    expect(getPath(o, 'status.replicas')).toBeUndefined();
  });
});

describe('shareUnchanged', () => {
  it('shares the unchanged parts of two versions and keeps what changed', () => {
    const prev = { metadata: { name: 'p', labels: { app: 'web' }, resourceVersion: '1' }, spec: { containers: [{ name: 'c', image: 'x' }] }, status: {} };
    const next = JSON.parse(JSON.stringify(prev));
    next.metadata.resourceVersion = '2';
    next.spec.nodeName = 'n1';
    const shared = shareUnchanged(next, prev);
    expect(shared).toEqual({ metadata: { name: 'p', labels: { app: 'web' }, resourceVersion: '2' }, spec: { containers: [{ name: 'c', image: 'x' }], nodeName: 'n1' }, status: {} });
    expect(shared.metadata.labels).toBe(prev.metadata.labels);
    expect(shared.spec.containers).toBe(prev.spec.containers);
    expect(shared.status).toBe(prev.status);
    expect(shared.metadata).not.toBe(prev.metadata);
    expect(prev.metadata.resourceVersion).toBe('1');
  });

  it('returns prev itself when equal throughout, and keeps key order', () => {
    const prev = { a: 1, b: [1, { c: 2 }] };
    expect(shareUnchanged(JSON.parse(JSON.stringify(prev)), prev)).toBe(prev);
    const reordered = shareUnchanged({ b: [1, { c: 2 }], a: 1 }, prev);
    expect(Object.keys(reordered)).toEqual(['b', 'a']);
    expect(reordered.b).toBe(prev.b);
  });

  it('does not share across arrays and objects, or shorter arrays', () => {
    const prev = { list: [1, 2, 3], map: { x: 1 } };
    const next = { list: [1, 2], map: [1] };
    const shared = shareUnchanged(next, prev) as typeof next;
    expect(shared.list).toEqual([1, 2]);
    expect(shared.list).not.toBe(prev.list);
    expect(shared.map).toEqual([1]);
  });
});
