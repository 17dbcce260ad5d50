import { fieldChanges, formatChanges, restrictTo } from './field-diff';

describe('field-by-field differences', () => {
  it('names each changed scalar by its path', () => {
    expect(fieldChanges({ spec: { replicas: 2, paused: false } }, { spec: { replicas: 3, paused: false } })).toEqual([{ path: 'spec.replicas', before: 2, after: 3 }]);
  });

  it('reports added and removed fields, quoting keys that are not identifiers', () => {
    const before = { metadata: { labels: { app: 'web', 'app.kubernetes.io/name': 'web' } } };
    const after = { metadata: { labels: { app: 'web', tier: 'front' } } };
    expect(fieldChanges(before, after)).toEqual([
      { path: 'metadata.labels["app.kubernetes.io/name"]', before: 'web' },
      { path: 'metadata.labels.tier', after: 'front' },
    ]);
  });

  it('compares lists of named items by name, so an insertion is one added item', () => {
    const web = { name: 'web', image: 'busybox:1.35' };
    const side = { name: 'side', image: 'envoy' };
    const changes = fieldChanges({ containers: [web] }, { containers: [side, { ...web, image: 'busybox:1.36' }] });
    expect(changes).toEqual([
      { path: 'containers[name=side]', after: side },
      { path: 'containers[name=web].image', before: 'busybox:1.35', after: 'busybox:1.36' },
    ]);
  });

  it('keys ports by containerPort when they have no names', () => {
    expect(fieldChanges({ ports: [{ containerPort: 80, protocol: 'TCP' }] }, { ports: [{ containerPort: 80, protocol: 'UDP' }] })).toEqual([
      { path: 'ports[containerPort=80].protocol', before: 'TCP', after: 'UDP' },
    ]);
  });

  it('compares lists of plain values as a whole', () => {
    expect(fieldChanges({ args: ['a', 'b'] }, { args: ['a', 'c'] })).toEqual([{ path: 'args', before: ['a', 'b'], after: ['a', 'c'] }]);
  });

  it('says nothing for equal objects', () => {
    expect(fieldChanges({ a: [{ name: 'x', v: 1 }], b: { c: null } }, { b: { c: null }, a: [{ v: 1, name: 'x' }] })).toEqual([]);
  });

  it('prints - old and + new under each path, objects as YAML', () => {
    const text = formatChanges([
      { path: 'spec.replicas', before: 2, after: 3 },
      { path: 'spec.template.spec.containers[name=side]', after: { name: 'side', image: 'envoy', ports: [{ containerPort: 80 }, { containerPort: 443 }], env: [{ name: 'A', value: 'a-long-value-to-wrap' }] } },
    ]);
    expect(text).toBe(
      [
        '  spec.replicas',
        '-   2',
        '+   3',
        '  spec.template.spec.containers[name=side]',
        '+   name: side',
        '+   image: envoy',
        '+   ports:',
        '+   - containerPort: 80',
        '+   - containerPort: 443',
        '+   env:',
        '+   - name: A',
        '+     value: a-long-value-to-wrap',
        '',
      ].join('\n'),
    );
  });

  it('keeps of a new object only what its manifest says (no defaults)', () => {
    const result = { spec: { replicas: 1, revisionHistoryLimit: 10, template: { spec: { containers: [{ name: 'c', image: 'x', imagePullPolicy: 'Always' }], dnsPolicy: 'ClusterFirst' } } } };
    const manifest = { spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }] } } } };
    expect(restrictTo(result, manifest)).toEqual(manifest);
  });
});
