import { builtinKinds } from '../../../crds';
import type { Obj } from '../../api/object';
import { ResourceType } from '../registry';
import { accessModesString } from './storage-printers';
import { printerFor } from './table';

const now = Date.parse('2024-05-01T12:00:00Z');
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, creationTimestamp: new Date(now - 90_000).toISOString(), ...extra });

function row(kind: string, object: Record<string, unknown>): Record<string, unknown> {
  const printer = printerFor(new ResourceType(builtinKinds.find((d) => d.kind === kind)!));
  const cells = printer.cells({ kind, ...object } as Obj, now);
  expect(cells).toHaveLength(printer.columns.length);
  return Object.fromEntries(printer.columns.map((c, i) => [c.name, cells[i]]));
}

describe('access modes', () => {
  it.each([
    [['ReadWriteOnce'], 'RWO'],
    [['ReadOnlyMany', 'ReadWriteOnce', 'ReadOnlyMany'], 'RWO,ROX'],
    [['ReadWriteOncePod'], 'RWOP'],
    [['ReadWriteMany', 'ReadWriteOncePod', 'ReadOnlyMany', 'ReadWriteOnce'], 'RWO,ROX,RWX,RWOP'],
    [[], ''],
    [undefined, ''],
  ])('%p prints as %p, in upstream order', (modes, expected) => {
    expect(accessModesString(modes)).toBe(expected);
  });
});

describe('PersistentVolumeClaim', () => {
  const spec = { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'fast', volumeMode: 'Filesystem' };

  it('prints a pending claim without capacity or access modes', () => {
    expect(row('PersistentVolumeClaim', { metadata: meta('data'), spec, status: { phase: 'Pending' } })).toEqual({
      Name: 'data',
      Status: 'Pending',
      Volume: '',
      Capacity: '',
      'Access Modes': '',
      StorageClass: 'fast',
      VolumeAttributesClass: '<unset>',
      Age: '90s',
      VolumeMode: 'Filesystem',
    });
  });

  it("prints a bound claim with its volume's capacity and access modes", () => {
    const bound = { metadata: meta('data'), spec: { ...spec, volumeName: 'pv-1', volumeAttributesClassName: 'gold' }, status: { phase: 'Bound', capacity: { storage: '2Gi' }, accessModes: ['ReadOnlyMany', 'ReadWriteOnce'] } };
    expect(row('PersistentVolumeClaim', bound)).toMatchObject({ Status: 'Bound', Volume: 'pv-1', Capacity: '2Gi', 'Access Modes': 'RWO,ROX', VolumeAttributesClass: 'gold' });
  });

  it('prints Terminating, the beta class annotation, and <unset> for what is unset', () => {
    const claim = { metadata: meta('old', { deletionTimestamp: new Date(now).toISOString(), annotations: { 'volume.beta.kubernetes.io/storage-class': 'legacy' } }), spec: { volumeName: 'pv-2' }, status: { phase: 'Bound' } };
    expect(row('PersistentVolumeClaim', claim)).toMatchObject({ Status: 'Terminating', StorageClass: 'legacy', Capacity: '0', VolumeMode: '<unset>' });
  });
});

describe('PersistentVolume', () => {
  it('prints capacity, modes, policy, phase and the claim as namespace/name', () => {
    const pv = {
      metadata: meta('pv-1'),
      spec: { capacity: { storage: '10Gi' }, accessModes: ['ReadWriteMany', 'ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', claimRef: { namespace: 'shop', name: 'data' }, storageClassName: 'manual', volumeMode: 'Block', hostPath: { path: '/mnt/pv-1' } },
      status: { phase: 'Bound' },
    };
    expect(row('PersistentVolume', pv)).toEqual({
      Name: 'pv-1',
      Capacity: '10Gi',
      'Access Modes': 'RWO,RWX',
      'Reclaim Policy': 'Retain',
      Status: 'Bound',
      Claim: 'shop/data',
      StorageClass: 'manual',
      VolumeAttributesClass: '<unset>',
      Reason: '',
      Age: '90s',
      VolumeMode: 'Block',
    });
  });

  it('prints an unclaimed, failed or terminating volume', () => {
    expect(row('PersistentVolume', { metadata: meta('pv-2'), spec: { capacity: { storage: '1Gi' } }, status: { phase: 'Failed', reason: 'RecyclerFailed' } })).toMatchObject({ Claim: '', Status: 'Failed', Reason: 'RecyclerFailed', StorageClass: '' });
    expect(row('PersistentVolume', { metadata: meta('pv-3', { deletionTimestamp: new Date(now).toISOString() }), spec: {}, status: { phase: 'Released' } })).toMatchObject({ Status: 'Terminating', Capacity: '0' });
  });
});
