import { applyMergePatch, createMergePatch } from './json-merge-patch';

describe('JSON merge patch (RFC 7386)', () => {
  // RFC 7386 Appendix A, every row.
  it.each([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])('RFC 7386 appendix: %j patched with %j is %j', (target, patch, expected) => {
    expect(applyMergePatch(target, patch)).toEqual(expected);
  });

  it('applies the RFC 7386 section 3 example', () => {
    const target = {
      title: 'Goodbye!',
      author: { givenName: 'John', familyName: 'Doe' },
      tags: ['example', 'sample'],
      content: 'This will be unchanged',
    };
    const patch = { title: 'Hello!', phoneNumber: '+01-123-456-7890', author: { familyName: null }, tags: ['example'] };
    expect(applyMergePatch(target, patch)).toEqual({
      title: 'Hello!',
      author: { givenName: 'John' },
      tags: ['example'],
      content: 'This will be unchanged',
      phoneNumber: '+01-123-456-7890',
    });
  });

  it('scales a Deployment the way kubectl scale does', () => {
    const live = { metadata: { name: 'web' }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } } } };
    expect(applyMergePatch(live, { spec: { replicas: 3 } })).toEqual({
      metadata: { name: 'web' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } } },
    });
  });

  it('leaves its inputs untouched', () => {
    const target = Object.freeze({ a: Object.freeze({ b: 1 }) });
    const patch = Object.freeze({ a: Object.freeze({ c: 2 }) });
    expect(applyMergePatch(target, patch)).toEqual({ a: { b: 1, c: 2 } });
    expect(target).toEqual({ a: { b: 1 } });
  });

  it('returns a result that shares nothing with the target', () => {
    const target = { a: { b: { c: 1 } }, d: [1] };
    const result = applyMergePatch(target, { e: 1 }) as any;
    result.a.b.c = 2;
    result.d.push(2);
    expect(target).toEqual({ a: { b: { c: 1 } }, d: [1] });
  });

  it('keeps a "__proto__" member as data instead of changing the prototype', () => {
    const result = applyMergePatch({}, JSON.parse('{"__proto__": {"polluted": true}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.keys(result)).toEqual(['__proto__']);
  });
});

describe('createMergePatch', () => {
  it.each([
    ['a changed member', { a: 1, b: 2 }, { a: 1, b: 3 }, { b: 3 }],
    ['a removed member', { a: 1, b: 2 }, { a: 1 }, { b: null }],
    ['an added member', { a: 1 }, { a: 1, c: { d: 1 } }, { c: { d: 1 } }],
    ['a nested change', { s: { r: 1, k: 'x' } }, { s: { r: 2, k: 'x' } }, { s: { r: 2 } }],
    ['a changed array, whole', { l: [1, 2] }, { l: [1, 3] }, { l: [1, 3] }],
    ['no change', { s: { l: [1] } }, { s: { l: [1] } }, {}],
  ])('diffs %s', (_name, original, modified, patch) => {
    expect(createMergePatch(original, modified)).toEqual(patch);
    expect(applyMergePatch(original, patch)).toEqual(modified);
  });
});
