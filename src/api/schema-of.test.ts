import * as t from 'io-ts';
import { atomicList, described, enumOf, mapList, mergeList, preserveUnknown, retainKeys, setList, struct, withSchema } from './codecs';
import { schemaOf } from './schema-of';
import { int32, intOrString } from './scalars';

describe('schemaOf', () => {
  it('describes a struct: properties, required, descriptions', () => {
    const codec = struct('S', { name: described(t.string, 'The name.') }, { size: int32 });
    expect(schemaOf(codec)).toEqual({
      type: 'object',
      properties: { name: { type: 'string', description: 'The name.' }, size: { type: 'integer', format: 'int32' } },
      required: ['name'],
    });
  });

  it('walks plain io-ts codecs: type, partial, intersection, array, record, literals, refinements', () => {
    const codec = t.intersection([
      t.type({ id: t.Int, tags: t.array(t.string) }),
      t.partial({ labels: t.record(t.string, t.string), mode: t.union([t.literal('a'), t.literal('b')]), ratio: t.number, on: t.boolean }),
      t.exact(t.type({ kind: t.keyof({ X: null, Y: null }) })),
    ]);
    expect(schemaOf(codec)).toEqual({
      type: 'object',
      properties: {
        id: { type: 'integer' },
        tags: { type: 'array', items: { type: 'string' } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        mode: { type: 'string', enum: ['a', 'b'] },
        ratio: { type: 'number' },
        on: { type: 'boolean' },
        kind: { type: 'string', enum: ['X', 'Y'] },
      },
      required: ['id', 'tags', 'kind'],
    });
  });

  it('carries list, map and patch semantics from the combinators', () => {
    const item = struct('I', { name: t.string, port: int32 });
    expect(schemaOf(mergeList(item, 'port', { mapKeys: ['port', 'name'] }))).toMatchObject({
      type: 'array',
      'x-kubernetes-patch-strategy': 'merge',
      'x-kubernetes-patch-merge-key': 'port',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['port', 'name'],
    });
    expect(schemaOf(mapList(item, ['name']))).toMatchObject({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] });
    expect(schemaOf(mapList(item, ['name']))['x-kubernetes-patch-strategy']).toBeUndefined();
    expect(schemaOf(setList(t.string))).toEqual({ type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' });
    expect(schemaOf(atomicList(t.string))['x-kubernetes-list-type']).toBe('atomic');
    expect(schemaOf(retainKeys(item))['x-kubernetes-patch-strategy']).toBe('retainKeys');
    expect(schemaOf(preserveUnknown)).toEqual({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    expect(schemaOf(intOrString)['x-kubernetes-int-or-string']).toBe(true);
    expect(schemaOf(enumOf('E', ['x', 'y']))).toEqual({ type: 'string', enum: ['x', 'y'] });
  });

  it('lets the outer description win over the inner one', () => {
    const inner = described(t.string, 'inner');
    expect(schemaOf(described(inner, 'outer')).description).toBe('outer');
    expect(schemaOf(withSchema(inner, { maxLength: 3 }))).toEqual({ type: 'string', description: 'inner', maxLength: 3 });
  });

  it('refuses shapes a structural schema cannot express instead of describing them loosely', () => {
    expect(() => schemaOf(t.union([t.string, t.number]))).toThrow(/use intOrString/);
    expect(() => schemaOf(t.union([t.type({ a: t.string }), t.type({ b: t.string })]))).toThrow(/mixes shapes/);
    type Tree = { children: Tree[] };
    const Tree: t.Type<Tree> = t.recursion('Tree', () => t.type({ children: t.array(Tree) }));
    expect(() => schemaOf(Tree)).toThrow(/recursive/);
  });

  it('returns one frozen schema per codec', () => {
    const codec = struct('S', { a: t.string });
    expect(schemaOf(codec)).toBe(schemaOf(codec));
    expect(Object.isFrozen(schemaOf(codec).properties!.a)).toBe(true);
  });
});
