import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { decode } from '../src/api/decode';
import { schemaOf } from '../src/api/schema-of';
import { CustomResourceDefinition, ObjectMeta } from '../src/api/types';
import { pruneUnknownFields, unknownFields } from '../src/api/unknown-fields';
import { fromCustomResourceDefinition, validateCustomResourceDefinition } from './custom-resource';

const manifest = parse(readFileSync(join(__dirname, '../src/api/types/testdata/crd.yaml'), 'utf8'));
const crd = () => decode(CustomResourceDefinition, structuredClone(manifest), 'CustomResourceDefinition');

/** The CRD manifest with `change` applied to a copy. */
function variant(change: (crd: any) => void): unknown {
  const copy = structuredClone(manifest);
  change(copy);
  return copy;
}

describe('fromCustomResourceDefinition', () => {
  const [alpha, v1] = fromCustomResourceDefinition(crd());

  it('declares one kind per served version with the names of the definition', () => {
    expect([alpha, v1].map((d) => d.version)).toEqual(['v1alpha1', 'v1']);
    expect(v1).toMatchObject({
      group: 'platform.example.com',
      kind: 'Database',
      listKind: 'DatabaseList',
      plural: 'databases',
      singular: 'database',
      shortNames: ['db'],
      categories: ['all', 'platform'],
      scope: 'Namespaced',
      builtin: false,
    });
  });

  it('leaves out versions that are not served', () => {
    const decls = fromCustomResourceDefinition(decode(CustomResourceDefinition, variant((c) => (c.spec.versions[0].served = false)), 'crd'));
    expect(decls.map((d) => d.version)).toEqual(['v1']);
  });

  it('defaults singular and listKind from the kind', () => {
    const [decl] = fromCustomResourceDefinition(
      decode(CustomResourceDefinition, variant((c) => {
        delete c.spec.names.singular;
        delete c.spec.names.listKind;
      }), 'crd'),
    );
    expect([decl.singular, decl.listKind]).toEqual(['database', 'DatabaseList']);
  });

  it('carries the subresources of each version', () => {
    expect(alpha.subresources).toEqual({});
    expect(v1.subresources).toEqual({
      status: true,
      scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' },
    });
  });

  it('takes the printer columns of the version, and an Age column when it has none, as upstream', () => {
    expect(v1.printerColumns).toEqual([
      { name: 'Engine', type: 'string', jsonPath: '.spec.engine' },
      { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
      { name: 'Phase', type: 'string', jsonPath: '.status.phase', description: 'Where the database is in its lifecycle' },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
      { name: 'Endpoint', type: 'string', jsonPath: '.status.endpoint', priority: 1 },
    ]);
    expect(alpha.printerColumns.map((c) => [c.name, c.type, c.jsonPath])).toEqual([['Age', 'date', '.metadata.creationTimestamp']]);
  });

  it('completes the schema with apiVersion, kind and the full ObjectMeta', () => {
    expect(v1.schema.properties!.metadata.properties).toEqual(schemaOf(ObjectMeta).properties);
    expect(v1.schema.properties!.apiVersion.type).toBe('string');
    expect(v1.schema.properties!.spec.required).toEqual(['engine']);
    expect(v1.schema.description).toBe('A managed database.');
  });

  it('prunes unknown fields of custom resources, metadata included, and keeps preserved ones', () => {
    const db = {
      apiVersion: 'platform.example.com/v1',
      kind: 'Database',
      metadata: { name: 'orders', namespace: 'shop', bogus: 1 },
      spec: { engine: 'postgres', replicas: 2, storage: '10Gi', parameters: { max_connections: '200' }, users: [{ name: 'app', roles: ['rw'], extra: true }], typo: 1 },
      status: { phase: 'Ready' },
    };
    expect(unknownFields(db, v1.schema)).toEqual(['metadata.bogus', 'spec.users[0].extra', 'spec.typo']);
    const pruned = pruneUnknownFields(db, v1.schema);
    expect(pruned.spec).toEqual({ engine: 'postgres', replicas: 2, storage: '10Gi', parameters: { max_connections: '200' }, users: [{ name: 'app', roles: ['rw'] }] });
    expect(unknownFields({ ...db, spec: { anything: { goes: true } } }, alpha.schema)).toEqual(['metadata.bogus']);
  });
});

describe('validateCustomResourceDefinition', () => {
  it('accepts a well formed definition', () => {
    expect(validateCustomResourceDefinition(manifest)).toEqual([]);
  });

  it.each([
    [
      'a name that is not <plural>.<group>',
      (c: any) => (c.metadata.name = 'dbs.platform.example.com'),
      [{ field: 'metadata.name', reason: 'FieldValueInvalid', message: 'Invalid value: "dbs.platform.example.com": must be spec.names.plural+"."+spec.group' }],
    ],
    [
      'a group without a dot',
      (c: any) => {
        c.spec.group = 'platform';
        c.metadata.name = 'databases.platform';
      },
      [{ field: 'spec.group', reason: 'FieldValueInvalid', message: 'Invalid value: "platform": should be a domain with at least one dot' }],
    ],
    [
      'two storage versions',
      (c: any) => (c.spec.versions[0].storage = true),
      [{ field: 'spec.versions', reason: 'FieldValueInvalid', message: 'Invalid value: ["v1alpha1","v1"]: must have exactly one version marked as storage version' }],
    ],
    [
      'a duplicated version',
      (c: any) => (c.spec.versions[0].name = 'v1'),
      [{ field: 'spec.versions', reason: 'FieldValueInvalid', message: 'Invalid value: ["v1","v1"]: must contain unique version names' }],
    ],
    [
      'a missing scope',
      (c: any) => delete c.spec.scope,
      [{ field: 'spec.scope', reason: 'FieldValueRequired', message: 'Required value' }],
    ],
    [
      'an unknown scope',
      (c: any) => (c.spec.scope = 'Global'),
      [{ field: 'spec.scope', reason: 'FieldValueNotSupported', message: 'Unsupported value: "Global": supported values: "Cluster", "Namespaced"' }],
    ],
    [
      'a version without a schema',
      (c: any) => delete c.spec.versions[1].schema,
      [{ field: 'spec.versions[1].schema.openAPIV3Schema', reason: 'FieldValueRequired', message: 'Required value: schemas are required' }],
    ],
    [
      'a property without a type',
      (c: any) => delete c.spec.versions[1].schema.openAPIV3Schema.properties.spec.properties.version.type,
      [
        {
          field: 'spec.versions[1].schema.openAPIV3Schema.properties[spec].properties[version].type',
          reason: 'FieldValueRequired',
          message: 'Required value: must not be empty for specified object fields',
        },
      ],
    ],
    [
      'an array without items',
      (c: any) => delete c.spec.versions[1].schema.openAPIV3Schema.properties.spec.properties.users.items.properties.roles.items,
      [
        {
          field: 'spec.versions[1].schema.openAPIV3Schema.properties[spec].properties[users].items.properties[roles].items',
          reason: 'FieldValueRequired',
          message: 'Required value: must be specified',
        },
      ],
    ],
    [
      'properties next to additionalProperties',
      (c: any) => (c.spec.versions[1].schema.openAPIV3Schema.properties.spec.properties.parameters.properties = { a: { type: 'string' } }),
      [
        {
          field: 'spec.versions[1].schema.openAPIV3Schema.properties[spec].properties[parameters].additionalProperties',
          reason: 'FieldValueForbidden',
          message: 'Forbidden: additionalProperties and properties are mutual exclusive',
        },
      ],
    ],
    [
      'a root that is not an object',
      (c: any) => (c.spec.versions[0].schema.openAPIV3Schema = { type: 'string' }),
      [{ field: 'spec.versions[0].schema.openAPIV3Schema.type', reason: 'FieldValueInvalid', message: 'Invalid value: "string": must be object at the root' }],
    ],
    [
      'metadata restricted beyond name',
      (c: any) => (c.spec.versions[1].schema.openAPIV3Schema.properties.metadata = { type: 'object', properties: { labels: { type: 'object' } } }),
      [
        {
          field: 'spec.versions[1].schema.openAPIV3Schema.properties[metadata]',
          reason: 'FieldValueForbidden',
          message: 'Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified',
        },
      ],
    ],
    [
      'a kind that is not a DNS label when lowercased',
      (c: any) => (c.spec.names.kind = 'Data_base'),
      [
        {
          field: 'spec.names.kind',
          reason: 'FieldValueInvalid',
          message: expect.stringMatching(/^Invalid value: "Data_base": may have mixed case, but should otherwise match: a DNS-1035 label/),
        },
      ],
    ],
    [
      'a bad short name',
      (c: any) => (c.spec.names.shortNames = ['db', 'DB']),
      [{ field: 'spec.names.shortNames[1]', reason: 'FieldValueInvalid', message: expect.stringMatching(/^Invalid value: "DB": a DNS-1035 label/) }],
    ],
    [
      'a printer column of an unknown type',
      (c: any) => (c.spec.versions[1].additionalPrinterColumns[0].type = 'text'),
      [
        {
          field: 'spec.versions[1].additionalPrinterColumns[0].type',
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "text": must be one of boolean,date,integer,number,string',
        },
      ],
    ],
    [
      'a scale path outside .spec',
      (c: any) => (c.spec.versions[1].subresources.scale.specReplicasPath = '.status.replicas'),
      [
        {
          field: 'spec.versions[1].subresources.scale.specReplicasPath',
          reason: 'FieldValueInvalid',
          message: 'Invalid value: ".status.replicas": should be a json path under .spec',
        },
      ],
    ],
    [
      'a conversion webhook, which berth does not call',
      (c: any) => (c.spec.conversion = { strategy: 'Webhook', webhook: { conversionReviewVersions: ['v1'] } }),
      [{ field: 'spec.conversion.strategy', reason: 'FieldValueNotSupported', message: 'Unsupported value: "Webhook": supported values: "None"' }],
    ],
  ])('names the field of %s', (_, change, causes) => {
    expect(validateCustomResourceDefinition(variant(change))).toEqual(causes);
  });
});
