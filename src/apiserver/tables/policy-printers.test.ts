import { builtinKinds } from '../../../crds';
import type { Obj } from '../../api/object';
import { ResourceType } from '../registry';
import { printerFor } from './table';

const now = Date.parse('2024-05-01T12:00:00Z');
const metadata = (name: string) => ({ name, namespace: 'default', creationTimestamp: new Date(now - 300_000).toISOString() });

/** The printed cells of one object, keyed by column name. */
function row(apiVersion: string, kind: string, fields: Record<string, unknown>): Record<string, unknown> {
  const printer = printerFor(new ResourceType(builtinKinds.find((d) => d.kind === kind)!));
  const cells = printer.cells({ apiVersion, kind, ...fields } as Obj, now);
  expect(cells).toHaveLength(printer.columns.length);
  return Object.fromEntries(printer.columns.map((c, i) => [c.name, cells[i]]));
}

describe('ServiceAccount', () => {
  it('prints how many secrets the account lists', () => {
    expect(row('v1', 'ServiceAccount', { metadata: metadata('builder') })).toEqual({ Name: 'builder', Secrets: 0, Age: '5m' });
    expect(row('v1', 'ServiceAccount', { metadata: metadata('ci'), secrets: [{ name: 'ci-token' }, { name: 'ci-docker' }] }).Secrets).toBe(2);
  });
});

describe('PodDisruptionBudget', () => {
  it.each([
    [{ minAvailable: 1 }, '1', 'N/A'],
    [{ maxUnavailable: '25%' }, 'N/A', '25%'],
    [{}, 'N/A', 'N/A'],
  ])('prints %p as min %p and max %p', (spec, min, max) => {
    expect(row('policy/v1', 'PodDisruptionBudget', { metadata: metadata('web'), spec, status: { disruptionsAllowed: 2 } })).toEqual({
      Name: 'web',
      'Min Available': min,
      'Max Unavailable': max,
      'Allowed Disruptions': 2,
      Age: '5m',
    });
  });

  it('prints 0 allowed disruptions before any status', () => {
    expect(row('policy/v1', 'PodDisruptionBudget', { metadata: metadata('web'), spec: { minAvailable: '50%' } })['Allowed Disruptions']).toBe(0);
  });
});

describe('ResourceQuota', () => {
  it('prints used/hard per enforced resource, sorted, with limits.* apart', () => {
    const status = {
      hard: { pods: '10', 'requests.cpu': '2', 'limits.memory': '2Gi', 'limits.cpu': '4', configmaps: '5' },
      used: { pods: '3', 'requests.cpu': '500m', 'limits.cpu': '1' },
    };
    expect(row('v1', 'ResourceQuota', { metadata: metadata('compute'), spec: { hard: status.hard }, status })).toEqual({
      Name: 'compute',
      Age: '5m',
      Request: 'configmaps: 0/5, pods: 3/10, requests.cpu: 500m/2',
      Limit: 'limits.cpu: 1/4, limits.memory: 0/2Gi',
    });
  });

  it('prints nothing until the quota has a status, as upstream does', () => {
    expect(row('v1', 'ResourceQuota', { metadata: metadata('pods'), spec: { hard: { pods: '10' } } })).toMatchObject({ Request: '', Limit: '' });
  });
});

describe('LimitRange', () => {
  it('prints the name and the creation time itself, as the default table does', () => {
    expect(row('v1', 'LimitRange', { metadata: metadata('limits'), spec: { limits: [{ type: 'Container' }] } })).toEqual({ Name: 'limits', 'Created At': '2024-05-01T11:55:00Z' });
  });
});
