import { BadRequest, Invalid } from '../../api/errors';
import { applyJsonPatch } from './json-patch';

describe('JSON patch (RFC 6902)', () => {
  // RFC 6902 Appendix A, the examples that succeed.
  it.each([
    ['A.1 adding an object member', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }], { baz: 'qux', foo: 'bar' }],
    ['A.2 adding an array element', { foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }], { foo: ['bar', 'qux', 'baz'] }],
    ['A.3 removing an object member', { baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }], { foo: 'bar' }],
    ['A.4 removing an array element', { foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }], { foo: ['bar', 'baz'] }],
    ['A.5 replacing a value', { baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }], { baz: 'boo', foo: 'bar' }],
    [
      'A.6 moving a value',
      { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
      [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
      { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
    ],
    ['A.7 moving an array element', { foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }], { foo: ['all', 'cows', 'eat', 'grass'] }],
    [
      'A.8 testing a value: success',
      { baz: 'qux', foo: ['a', 2, 'c'] },
      [{ op: 'test', path: '/baz', value: 'qux' }, { op: 'test', path: '/foo/1', value: 2 }],
      { baz: 'qux', foo: ['a', 2, 'c'] },
    ],
    ['A.10 adding a nested member object', { foo: 'bar' }, [{ op: 'add', path: '/child', value: { grandchild: {} } }], { foo: 'bar', child: { grandchild: {} } }],
    ['A.11 ignoring unrecognized elements', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux', xyz: 123 }], { foo: 'bar', baz: 'qux' }],
    ['A.14 ~ escape ordering', { '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: 10 }], { '/': 9, '~1': 10 }],
    ['A.16 adding an array value', { foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }], { foo: ['bar', ['abc', 'def']] }],
    ['copying a value', { a: { b: 1 } }, [{ op: 'copy', from: '/a', path: '/c' }], { a: { b: 1 }, c: { b: 1 } }],
    ['replacing the whole document', { a: 1 }, [{ op: 'replace', path: '', value: { b: 2 } }], { b: 2 }],
    ['testing objects without regard to key order', { a: { x: 1, y: 2 } }, [{ op: 'test', path: '/a', value: { y: 2, x: 1 } }], { a: { x: 1, y: 2 } }],
  ])('%s', (_name, document, patch, expected) => {
    expect(applyJsonPatch(document, patch)).toEqual(expected);
  });

  // RFC 6902 Appendix A, the examples that fail, plus the failures kubectl users meet.
  it.each([
    ['A.9 testing a value: error', { baz: 'qux' }, [{ op: 'test', path: '/baz', value: 'bar' }], /test operation 0 at "\/baz" does not apply: the value is "qux", not "bar"/],
    ['A.12 adding to a nonexistent target', { foo: 'bar' }, [{ op: 'add', path: '/baz/bat', value: 'qux' }], /add operation 0 at "\/baz\/bat" does not apply: the document has no "\/baz"/],
    ['A.15 comparing strings and numbers', { '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: '10' }], /test operation 0/],
    ['replacing a missing member', { metadata: {} }, [{ op: 'replace', path: '/metadata/annotations', value: {} }], /replace operation 0 at "\/metadata\/annotations" does not apply: the document has no "\/metadata\/annotations"/],
    ['removing a missing item', { a: [1] }, [{ op: 'remove', path: '/a/1' }], /the document has no "\/a\/1"/],
    ['adding past the end of an array', { a: [1] }, [{ op: 'add', path: '/a/5', value: 2 }], /index 5 is past the end/],
    ['an index with a leading zero', { a: [1, 2] }, [{ op: 'replace', path: '/a/01', value: 2 }], /"01" is not an array index/],
    ['moving a value into its own child', { a: { b: {} } }, [{ op: 'move', from: '/a', path: '/a/b/c' }], /cannot be moved into one of its own children/],
    ['an unknown operation', {}, [{ op: 'merge', path: '/a' }], /unknown operation "merge"/],
    ['an operation without a path', {}, [{ op: 'add', value: 1 }], /has no "path" member/],
    ['an add without a value', {}, [{ op: 'add', path: '/a' }], /has no "value" member/],
    ['a pointer that does not start with a slash', { a: 1 }, [{ op: 'remove', path: 'a' }], /is not a JSON pointer/],
    ['the second of two operations', { a: 1 }, [{ op: 'remove', path: '/a' }, { op: 'remove', path: '/a' }], /remove operation 1 at "\/a"/],
  ])('rejects %s with 422 Invalid naming the operation', (_name, document, patch, message) => {
    let thrown: unknown;
    try {
      applyJsonPatch(document, patch);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Invalid);
    const invalid = thrown as Invalid;
    expect(invalid.message).toMatch(/^the server rejected our request due to an error in our request: /);
    expect(invalid.message).toMatch(message);
    expect(invalid.causes[0].reason).toBe('UnexpectedServerResponse');
  });

  it('rejects a body that is not a list of operations with 400 BadRequest', () => {
    expect(() => applyJsonPatch({}, { op: 'add', path: '/a', value: 1 })).toThrow(BadRequest);
  });

  it('applies the two replace operations kubectl rollout undo sends', () => {
    const live = {
      metadata: { name: 'web', annotations: { 'deployment.kubernetes.io/revision': '2' } },
      spec: { replicas: 2, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } } },
    };
    const template = { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.24', resources: {} }] } };
    const result = applyJsonPatch(live, [
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'replace', path: '/metadata/annotations', value: { 'kubectl.kubernetes.io/last-applied-configuration': '{}\n' } },
    ]);
    expect(result).toEqual({
      metadata: { name: 'web', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}\n' } },
      spec: { replicas: 2, template },
    });
  });

  it('applies all operations or none, and leaves its input untouched', () => {
    const document = { a: 1, list: [1, 2] };
    expect(() => applyJsonPatch(document, [{ op: 'add', path: '/b', value: 2 }, { op: 'test', path: '/a', value: 2 }])).toThrow(Invalid);
    expect(applyJsonPatch(document, [{ op: 'remove', path: '/list/0' }])).toEqual({ a: 1, list: [2] });
    expect(document).toEqual({ a: 1, list: [1, 2] });
  });

  it('replaces a member without moving it to the end', () => {
    const result = applyJsonPatch({ a: 1, b: 2, c: 3 }, [{ op: 'replace', path: '/b', value: 9 }]);
    expect(Object.keys(result as object)).toEqual(['a', 'b', 'c']);
  });
});
