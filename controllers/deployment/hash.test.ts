import type { PodTemplateSpec } from '../../src/api/types';
import { fnv32a, podTemplateHash, safeEncodeString } from './hash';

const template = (image: string, extra: Record<string, unknown> = {}): PodTemplateSpec =>
  ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image, ...extra }] } }) as PodTemplateSpec;

describe('the pod-template hash', () => {
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ])('FNV-1a of %j is %d', (text, expected) => {
    expect(fnv32a(Buffer.from(text))).toBe(expected);
  });

  it('maps each digit into the alphabet without vowels or look-alike digits', () => {
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
  });

  it('looks like upstream: ten or fewer safe characters', () => {
    expect(podTemplateHash(template('nginx:1.25'))).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  });

  it('is stable whatever the key order, and blind to nulls and empty values', () => {
    const a = template('nginx:1.25');
    const b = { spec: { containers: [{ resources: {}, image: 'nginx:1.25', name: 'app' }] }, metadata: { creationTimestamp: null, labels: { app: 'web' } } } as unknown as PodTemplateSpec;
    expect(podTemplateHash(b)).toBe(podTemplateHash(a));
  });

  it('changes with the template and with the collision count', () => {
    const base = podTemplateHash(template('nginx:1.25'));
    expect(podTemplateHash(template('nginx:1.26'))).not.toBe(base);
    expect(podTemplateHash(template('nginx:1.25'), 1)).not.toBe(base);
    expect(podTemplateHash(template('nginx:1.25'), 1)).not.toBe(podTemplateHash(template('nginx:1.25'), 2));
    // A count of 0 still counts: it is hashed, so it differs from no count at all.
    expect(podTemplateHash(template('nginx:1.25'), 0)).not.toBe(base);
  });
});
