/**
 * Generic validation against a kind's structural schema, with upstream's CRD-validation messages
 * and field paths: types, required, enums, bounds, patterns, lengths, counts, list uniqueness.
 */
import { fromCustomResourceDefinition } from '../../crds';
import type { JsonSchema } from '../../src/api/schema';
import type { CustomResourceDefinition } from '../../src/api/types';
import { applySchemaDefaults } from '../../src/apiserver/admission/schema-defaults';
import { breaksShape, schemaCauses } from '../../src/apiserver/admission/schema-validation';
import { ResourceType } from '../../src/apiserver/registry';
import { admit, deployment, described, pod } from './admission-support';

const widgetSchema: JsonSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['size'],
      properties: {
        size: { type: 'string', enum: ['small', 'large'] },
        replicas: { type: 'integer', minimum: 1, maximum: 10, default: 1 },
        name: { type: 'string', minLength: 3, maxLength: 8, pattern: '^[a-z]+$' },
        port: { 'x-kubernetes-int-or-string': true },
        tags: { type: 'array', maxItems: 2, items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
        rules: {
          type: 'array',
          minItems: 1,
          items: { type: 'object', properties: { host: { type: 'string' }, path: { type: 'string' } } },
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['host', 'path'],
        },
        limits: { type: 'object', additionalProperties: { type: 'number' } },
        note: { type: 'string', nullable: true },
        symbol: { type: 'string', maxLength: 2 },
      },
    },
  },
};

const crd: CustomResourceDefinition = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: widgetSchema } }],
  },
};
const widgets = new ResourceType(fromCustomResourceDefinition(crd)[0]);
const widget = (spec: object): object => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec });

describe('schema validation of custom resources', () => {
  it('accepts a conforming object and applies the schema defaults', () => {
    const { object, causes } = admit(widget({ size: 'small', port: 'http', tags: ['a', 'b'], rules: [{ host: 'a' }], limits: { cpu: 1.5 }, note: null }), { type: widgets });
    expect(causes).toEqual([]);
    expect((object.spec as { replicas: number }).replicas).toBe(1);
    expect((object.spec as { note: unknown }).note).toBeNull();
  });

  it.each<[string, object, string[]]>([
    ['a wrong type', { size: 'small', replicas: 'three' }, ['spec.replicas: Invalid value: "three": spec.replicas in body must be of type integer: "string"']],
    ['a missing required field', {}, ['spec.size: Required value']],
    ['a value outside the enum', { size: 'huge' }, ['spec.size: Unsupported value: "huge": supported values: "small", "large"']],
    ['a number below the minimum', { size: 'small', replicas: 0 }, ['spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1']],
    ['a number above the maximum', { size: 'small', replicas: 11 }, ['spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10']],
    ['a short string', { size: 'small', name: 'ab' }, ['spec.name: Invalid value: "ab": spec.name in body should be at least 3 chars long']],
    ['a long string', { size: 'small', name: 'abcdefghi' }, ['spec.name: Too long: may not be longer than 8']],
    ['a string long in characters', { size: 'small', symbol: '⛵🚢⚓' }, ['spec.symbol: Too long: may not be longer than 2']],
    ['a string off the pattern', { size: 'small', name: 'ab-cd' }, ["spec.name: Invalid value: \"ab-cd\": spec.name in body should match '^[a-z]+$'"]],
    ['neither integer nor string', { size: 'small', port: true }, ['spec.port: Invalid value: true: spec.port in body must be of type integer,string: "boolean"']],
    ['too many items', { size: 'small', tags: ['a', 'b', 'c'] }, ['spec.tags: Too many: 3: must have at most 2 items']],
    ['too few items', { size: 'small', rules: [] }, ['spec.rules: Invalid value: 0: spec.rules in body should have at least 1 items']],
    ['a repeated set item', { size: 'small', tags: ['a', 'a'] }, ['spec.tags[1]: Duplicate value: "a"']],
    ['a repeated list-map key', { size: 'small', rules: [{ host: 'a', path: '/' }, { host: 'a', path: '/' }] }, ['spec.rules[1]: Duplicate value: map[string]interface {}{"host":"a", "path":"/"}']],
    ['a wrong map value', { size: 'small', limits: { cpu: 'lots' } }, ['spec.limits[cpu]: Invalid value: "lots": spec.limits[cpu] in body must be of type number: "string"']],
    ['an object where a string belongs', { size: { a: 1 } }, ['spec.size: Invalid value: map[string]interface {}{"a":1}: spec.size in body must be of type string: "object"']],
  ])('rejects %s with its path and upstream message', (_what, spec, expected) => {
    expect(described(admit(widget(spec), { type: widgets }).causes)).toEqual(expected);
  });

  it('counts a string in characters, as upstream does: two outside the BMP are two, not four', () => {
    expect(admit(widget({ size: 'small', symbol: '🚢⚓' }), { type: widgets }).causes).toEqual([]);
    expect(admit(widget({ size: 'small', symbol: '🚢🛳' }), { type: widgets }).causes).toEqual([]);
  });

  it('reports every bad field at once', () => {
    const causes = admit(widget({ replicas: 20, name: 'X' }), { type: widgets }).causes;
    expect(causes.map((c) => c.field)).toEqual(['spec.size', 'spec.replicas', 'spec.name', 'spec.name']);
  });

  it('validates the metadata of custom objects as any other', () => {
    const causes = admit({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'Bad_Name' }, spec: { size: 'small' } }, { type: widgets }).causes;
    expect(causes).toEqual([expect.objectContaining({ field: 'metadata.name', reason: 'FieldValueInvalid' })]);
  });
});

describe('schema validation of built-in kinds', () => {
  it('reports wrongly typed fields of a decoded body with their paths', () => {
    const causes = admit(deployment({ replicas: '3', template: { metadata: { labels: { app: 'web' } }, spec: { containers: 'nginx' } } })).causes;
    expect(described(causes)).toEqual([
      'spec.template.spec.containers: Invalid value: "nginx": spec.template.spec.containers in body must be of type array: "string"',
      'spec.replicas: Invalid value: "3": spec.replicas in body must be of type integer: "string"',
    ]);
    expect(breaksShape(causes)).toBe(true);
  });

  it('checks integer formats, quantities, enums and required fields of built-in kinds', () => {
    const causes = admit(
      pod({
        restartPolicy: 'Sometimes',
        containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 2 ** 31 }], resources: { limits: { cpu: 'lots' } } }, { image: 'nginx' }],
      }),
    ).causes;
    expect(described(causes)).toEqual([
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
      'spec.containers[0].ports[0].containerPort: Invalid value: 2147483648: spec.containers[0].ports[0].containerPort in body must be of type int32: "2147483648"',
      "spec.containers[0].resources.limits[cpu]: Invalid value: \"lots\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
      'spec.containers[1].name: Required value',
    ]);
  });

  it('rejects repeated list-map keys in built-in lists (container ports by port and protocol)', () => {
    const causes = admit(pod({ containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }, { containerPort: 80, protocol: 'TCP' }] }] })).causes;
    expect(described(causes)).toEqual(['spec.containers[0].ports[1]: Duplicate value: map[string]interface {}{"containerPort":80, "protocol":"TCP"}']);
  });

  it('applies defaults inside lists and maps and keeps nullable nulls', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        items: { type: 'array', items: { type: 'object', properties: { mode: { type: 'string', default: 'auto' } } } },
        byName: { type: 'object', additionalProperties: { type: 'object', properties: { on: { type: 'boolean', default: true } } } },
        kept: { type: 'string', nullable: true },
        dropped: { type: 'string', default: 'again' },
      },
    };
    const value = { items: [{}, { mode: 'manual' }], byName: { a: {} }, kept: null, dropped: null };
    applySchemaDefaults(value, schema);
    expect(value).toEqual({ items: [{ mode: 'auto' }, { mode: 'manual' }], byName: { a: { on: true } }, kept: null, dropped: 'again' });
    expect(schemaCauses(value, schema)).toEqual([]);
  });
});
