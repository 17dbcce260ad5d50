import * as t from 'io-ts';
import { check, decode, invalid } from './decode';
import { Invalid } from './errors';
import { Deployment, Pod, Service } from './types';

const deployment = (spec: Record<string, unknown>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
    ...spec,
  },
});

const pod = (spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec });

function thrown(fn: () => unknown): Invalid {
  try {
    fn();
  } catch (e) {
    if (e instanceof Invalid) return e;
    throw e;
  }
  throw new Error('expected an Invalid error');
}

describe('decode', () => {
  it('returns the value typed when it fits', () => {
    const value = deployment({ replicas: 2 });
    expect(decode(Deployment, value, 'Deployment').spec!.replicas).toBe(2);
  });

  it.each([
    [
      'a port that is not a number',
      {
        template: {
          spec: { containers: [{ name: 'web', ports: [{ containerPort: 80 }, { containerPort: 'abc' }] }] },
        },
      },
      'spec.template.spec.containers[0].ports[1].containerPort',
      'FieldValueInvalid',
      'Invalid value: "abc": must be an integer',
    ],
    [
      'a container without a name',
      { template: { spec: { containers: [{ name: 'a' }, { image: 'nginx' }] } } },
      'spec.template.spec.containers[1].name',
      'FieldValueRequired',
      'Required value',
    ],
    [
      'an unknown strategy',
      { strategy: { type: 'BlueGreen' } },
      'spec.strategy.type',
      'FieldValueNotSupported',
      'Unsupported value: "BlueGreen": supported values: "Recreate", "RollingUpdate"',
    ],
    [
      'a fractional replica count',
      { replicas: 1.5 },
      'spec.replicas',
      'FieldValueInvalid',
      'Invalid value: 1.5: must be an integer',
    ],
    [
      'a replica count beyond 32 bits',
      { replicas: 2 ** 40 },
      'spec.replicas',
      'FieldValueInvalid',
      'Invalid value: 1099511627776: must be a 32-bit integer',
    ],
    [
      'a label value that is not a string',
      { selector: { matchLabels: { app: 7 } } },
      'spec.selector.matchLabels[app]',
      'FieldValueInvalid',
      'Invalid value: 7: must be a string',
    ],
    [
      'a template that is a list',
      { template: [] },
      'spec.template',
      'FieldValueInvalid',
      'Invalid value: "array": must be an object',
    ],
    [
      'a maxSurge that is neither a number nor a string',
      { strategy: { rollingUpdate: { maxSurge: true } } },
      'spec.strategy.rollingUpdate.maxSurge',
      'FieldValueInvalid',
      'Invalid value: true: must be an integer or a string',
    ],
  ])('names the field of %s', (_, spec, field, reason, message) => {
    const error = thrown(() => decode(Deployment, deployment(spec), { kind: 'Deployment', group: 'apps', name: 'web' }));
    expect(error.causes).toEqual([{ field, reason, message }]);
    expect(error.message).toBe(`Deployment.apps "web" is invalid: ${field}: ${message}`);
  });

  it.each([
    ['a memory limit that is not a quantity', { containers: [{ name: 'a', resources: { limits: { memory: '1 GB' } } }] }, 'spec.containers[0].resources.limits[memory]', /quantities must match/],
    ['a deadline that is not a number', { containers: [{ name: 'a' }], activeDeadlineSeconds: 'soon' }, 'spec.activeDeadlineSeconds', /must be an integer/],
    ['an unknown protocol', { containers: [{ name: 'a', ports: [{ containerPort: 80, protocol: 'HTTP' }] }] }, 'spec.containers[0].ports[0].protocol', /supported values: "TCP", "UDP", "SCTP"/],
    ['a toleration with a bad effect', { containers: [{ name: 'a' }], tolerations: [{ key: 'k', effect: 'Never' }] }, 'spec.tolerations[0].effect', /Unsupported value: "Never"/],
    ['a probe without a port', { containers: [{ name: 'a', livenessProbe: { httpGet: { path: '/' } } }] }, 'spec.containers[0].livenessProbe.httpGet.port', /Required value/],
    ['a volume without a name', { containers: [{ name: 'a' }], volumes: [{ emptyDir: {} }] }, 'spec.volumes[0].name', /Required value/],
  ])('names the field of %s in a Pod', (_, spec, field, message) => {
    const [cause] = thrown(() => decode(Pod, pod(spec), { kind: 'Pod', name: 'p' })).causes;
    expect(cause.field).toBe(field);
    expect(cause.message).toMatch(message);
  });

  it('names a timestamp that is not RFC 3339', () => {
    const [cause] = check(Pod, { ...pod({ containers: [{ name: 'a' }] }), status: { startTime: 'yesterday' } });
    expect(cause).toEqual({
      field: 'status.startTime',
      reason: 'FieldValueInvalid',
      message: 'Invalid value: "yesterday": must be an RFC 3339 date-time (e.g. 2006-01-02T15:04:05Z)',
    });
  });

  it('lists every bad field, in upstream\'s bracketed form, with the details kubectl reads', () => {
    const error = thrown(() =>
      decode(Service, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ targetPort: 80 }, { port: '80' }] } }, {
        kind: 'Service',
        name: 'web',
      }),
    );
    expect(error.message).toBe(
      'Service "web" is invalid: [spec.ports[0].port: Required value, spec.ports[1].port: Invalid value: "80": must be an integer]',
    );
    expect(error.toStatus()).toMatchObject({ code: 422, reason: 'Invalid', details: { kind: 'Service', name: 'web' } });
    expect(error.details.group).toBeUndefined();
  });

  it('rejects an apiVersion or kind the codec is not for', () => {
    const error = thrown(() => decode(Deployment, { ...deployment({}), apiVersion: 'apps/v1beta1' }, 'Deployment'));
    expect(error.causes).toEqual([
      { field: 'apiVersion', reason: 'FieldValueNotSupported', message: 'Unsupported value: "apps/v1beta1": supported values: "apps/v1"' },
    ]);
  });

  it('requires metadata on a top-level object', () => {
    expect(check(Deployment, { apiVersion: 'apps/v1', kind: 'Deployment' })).toEqual([
      { field: 'metadata', reason: 'FieldValueRequired', message: 'Required value' },
    ]);
  });

  it('names a value that is not an object at the root with an empty field', () => {
    expect(check(Deployment, 'nope')).toEqual([{ field: '', reason: 'FieldValueInvalid', message: 'Invalid value: "nope": must be an object' }]);
  });

  it('reads paths through plain io-ts codecs too', () => {
    const codec = t.type({ items: t.array(t.intersection([t.type({ n: t.number }), t.partial({ tag: t.literal('x') })])) });
    expect(check(codec, { items: [{ n: 1 }, { n: 'two', tag: 'y' }] })).toEqual([
      { field: 'items[1].n', reason: 'FieldValueInvalid', message: 'Invalid value: "two": must be a number' },
      { field: 'items[1].tag', reason: 'FieldValueNotSupported', message: 'Unsupported value: "y": supported values: "x"' },
    ]);
  });

  it('builds the same Invalid error for causes found elsewhere', () => {
    const error = invalid({ kind: 'ConfigMap', name: 'c' }, [{ field: 'metadata.name', reason: 'FieldValueRequired', message: 'Required value' }]);
    expect(error.message).toBe('ConfigMap "c" is invalid: metadata.name: Required value');
    expect(error.code).toBe(422);
  });
});
