import type { PodTemplateSpec } from '../../src/api/types';
import { equalIgnoreHash, normalized } from './template';

const t = (value: unknown) => value as PodTemplateSpec;

describe('comparing templates', () => {
  it.each([
    ['ignores the pod-template-hash label', t({ metadata: { labels: { app: 'a', 'pod-template-hash': 'x' } } }), t({ metadata: { labels: { app: 'a' } } }), true],
    ['treats null, empty lists and empty objects as absent', t({ metadata: { creationTimestamp: null, labels: { app: 'a' } }, spec: { containers: [{ name: 'c', resources: {}, args: [] }] } }), t({ metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c' }] } }), true],
    ['sees a different image', t({ spec: { containers: [{ name: 'c', image: 'a' }] } }), t({ spec: { containers: [{ name: 'c', image: 'b' }] } }), false],
    ['sees a different label', t({ metadata: { labels: { app: 'a', v: '1' } } }), t({ metadata: { labels: { app: 'a', v: '2' } } }), false],
    ['sees a template annotation (a restart)', t({ metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': 'now' } } }), t({}), false],
    ['sees the order of containers', t({ spec: { containers: [{ name: 'a' }, { name: 'b' }] } }), t({ spec: { containers: [{ name: 'b' }, { name: 'a' }] } }), false],
  ])('%s', (_name, a, b, equal) => {
    expect(equalIgnoreHash(a, b)).toBe(equal);
    expect(equalIgnoreHash(b, a)).toBe(equal);
  });

  it('normalizes to sorted keys, keeping nulls inside lists in place', () => {
    expect(JSON.stringify(normalized({ b: 1, a: { d: [], c: [null, 2] } }))).toBe('{"a":{"c":[null,2]},"b":1}');
    expect(normalized({ a: {} })).toBeUndefined();
  });
});
