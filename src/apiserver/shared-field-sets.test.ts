import type { Obj } from '../api/object';
import { shareFieldSets } from './shared-field-sets';

const pod = (name: string, fields: Record<string, unknown>): Obj => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, managedFields: [{ manager: 'kubectl', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: fields }] },
});

describe('shareFieldSets', () => {
  it('gives equal field sets of different objects one frozen tree', () => {
    const a = pod('a', { 'f:spec': { 'f:containers': { 'k:{"name":"main"}': { '.': {}, 'f:image': {} } } } });
    const b = pod('b', { 'f:spec': { 'f:containers': { 'k:{"name":"main"}': { '.': {}, 'f:image': {} } } } });
    shareFieldSets(a);
    shareFieldSets(b);
    expect(b.metadata.managedFields![0].fieldsV1).toBe(a.metadata.managedFields![0].fieldsV1);
    expect(Object.isFrozen(a.metadata.managedFields![0].fieldsV1!['f:spec'])).toBe(true);
    expect(JSON.stringify(b)).toContain('"f:image":{}');
  });

  it('keeps different field sets apart, and objects without any as they are', () => {
    const a = pod('a', { 'f:data': { 'f:x': {} } });
    const b = pod('b', { 'f:data': { 'f:y': {} } });
    shareFieldSets(a);
    shareFieldSets(b);
    expect(b.metadata.managedFields![0].fieldsV1).not.toBe(a.metadata.managedFields![0].fieldsV1);
    expect(b.metadata.managedFields![0].fieldsV1).toEqual({ 'f:data': { 'f:y': {} } });
    const bare: Obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } };
    shareFieldSets(bare);
    expect(bare).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
  });
});
