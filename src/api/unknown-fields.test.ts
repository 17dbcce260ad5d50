import type { JsonSchema } from './schema';
import { schemaOf } from './schema-of';
import { Deployment } from './types';
import { pruneUnknownFields, unknownFieldMessage, unknownFields } from './unknown-fields';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' }, color: 'blue' },
  spec: {
    replicas: 2,
    replicaCount: 3,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          { name: 'web', image: 'nginx', ports: [{ containerPort: 80, portName: 'http' }] },
          { name: 'side', image: 'busybox', livenesProbe: { exec: { command: ['true'] } } },
        ],
      },
    },
  },
};

describe('unknown fields', () => {
  const schema = schemaOf(Deployment);

  it('finds every field the schema does not know, with its path', () => {
    expect(unknownFields(deployment, schema)).toEqual([
      'metadata.color',
      'spec.replicaCount',
      'spec.template.spec.containers[0].ports[0].portName',
      'spec.template.spec.containers[1].livenesProbe',
    ]);
  });

  it('words them as upstream strict decoding does', () => {
    expect(unknownFieldMessage('spec.replicaCount')).toBe('unknown field "spec.replicaCount"');
  });

  it('prunes them into a copy, leaving the input and the known fields as they were', () => {
    const before = JSON.parse(JSON.stringify(deployment));
    const pruned = pruneUnknownFields(deployment, schema);
    expect(deployment).toEqual(before);
    expect(unknownFields(pruned, schema)).toEqual([]);
    expect(pruned.metadata).toEqual({ name: 'web', labels: { app: 'web' } });
    expect(pruned.spec).not.toHaveProperty('replicaCount');
    expect(pruned.spec.template.spec.containers[0].ports).toEqual([{ containerPort: 80 }]);
    expect(pruned.spec.template.spec.containers[1]).toEqual({ name: 'side', image: 'busybox' });
  });

  it('returns the same object when nothing is unknown', () => {
    const clean = pruneUnknownFields(deployment, schema);
    expect(pruneUnknownFields(clean, schema)).toBe(clean);
  });

  const custom: JsonSchema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          known: { type: 'string' },
          free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { typed: { type: 'object', properties: { a: { type: 'string' } } } } },
          params: { type: 'object', additionalProperties: { type: 'object', properties: { value: { type: 'string' } } } },
          anything: { type: 'object', additionalProperties: true },
          template: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', properties: {} } } },
        },
      },
    },
  };

  it.each([
    ['keeps anything under x-kubernetes-preserve-unknown-fields', { free: { whatever: 1, nested: { x: 2 } } }, []],
    ['still checks the known properties inside a preserving object', { free: { typed: { a: 'x', b: 'y' } } }, ['spec.free.typed.b']],
    ['checks map values against additionalProperties', { params: { p1: { value: 'v', other: 1 } } }, ['spec.params[p1].other']],
    ['allows any key under additionalProperties: true', { anything: { x: { y: 1 } } }, []],
    [
      'allows apiVersion, kind and metadata in an embedded resource, nothing else unknown',
      { template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {}, status: {} } },
      ['spec.template.status'],
    ],
  ])('%s', (_, spec, expected) => {
    expect(unknownFields({ spec }, custom)).toEqual(expected);
    expect(unknownFields(pruneUnknownFields({ spec }, custom), custom)).toEqual([]);
  });
});
