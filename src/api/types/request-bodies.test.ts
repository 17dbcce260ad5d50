import { check, decode } from '../decode';
import { Binding, DeleteOptions, Eviction, Scale } from '.';

describe('request bodies', () => {
  it('reads DeleteOptions as kubectl sends them, without kind or apiVersion', () => {
    expect(decode(DeleteOptions, { propagationPolicy: 'Foreground' }, 'DeleteOptions')).toEqual({ propagationPolicy: 'Foreground' });
    expect(decode(DeleteOptions, { kind: 'DeleteOptions', apiVersion: 'meta.k8s.io/v1', gracePeriodSeconds: 0, dryRun: ['All'] }, 'DeleteOptions'))
      .toMatchObject({ gracePeriodSeconds: 0 });
    expect(check(DeleteOptions, { propagationPolicy: 'Later' })[0].message).toBe(
      'Unsupported value: "Later": supported values: "Orphan", "Background", "Foreground"',
    );
  });

  it('reads a Scale as kubectl scale and the scale subresource use it', () => {
    const scale = {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name: 'web', namespace: 'default', resourceVersion: '12' },
      spec: { replicas: 3 },
      status: { replicas: 2, selector: 'app=web' },
    };
    expect(decode(Scale, scale, 'Scale')).toEqual(scale);
    expect(check(Scale, { ...scale, status: { selector: 'app=web' } })).toEqual([
      { field: 'status.replicas', reason: 'FieldValueRequired', message: 'Required value' },
    ]);
  });

  it('reads a Binding and an Eviction', () => {
    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web-1' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-3' } };
    expect(decode(Binding, binding, 'Binding').target.name).toBe('node-3');
    expect(check(Binding, { ...binding, target: undefined })).toEqual([{ field: 'target', reason: 'FieldValueRequired', message: 'Required value' }]);
    const eviction = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'web-1', namespace: 'shop' }, deleteOptions: { gracePeriodSeconds: 10 } };
    expect(decode(Eviction, eviction, 'Eviction')).toEqual(eviction);
  });
});
