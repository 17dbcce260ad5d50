/**
 * PersistentVolumeClaim, PersistentVolume, Ingress and EndpointSlice admission, table by table:
 * the defaults a Kubernetes 1.32 server sets and the causes its validation gives.
 */
import type { Obj } from '../../src/api/object';
import { admit, admitUpdate, described } from './admission-support';

const causesOf = (obj: object): string[] => described(admit(obj).causes);

const claim = (spec: Record<string, unknown> = {}): Obj =>
  ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec } }) as Obj;

const volume = (spec: Record<string, unknown> = {}): Obj =>
  ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-1' }, spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/mnt/pv-1' }, ...spec } }) as Obj;

const backend = (port: Record<string, unknown> = { number: 80 }) => ({ service: { name: 'web', port } });
const ingress = (spec: Record<string, unknown>): Obj => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web' }, spec }) as Obj;
const rules = (...paths: Array<Record<string, unknown>>) => [{ host: 'shop.example.com', http: { paths } }];

const slice = (fields: Record<string, unknown>): Obj =>
  ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-abc', labels: { 'kubernetes.io/service-name': 'web' } }, addressType: 'IPv4', ...fields }) as Obj;

describe('PersistentVolumeClaim', () => {
  it('defaults a Filesystem volume and starts Pending', () => {
    const { object, causes } = admit(claim());
    expect(causes).toEqual([]);
    expect(object.spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' });
    expect(object.status).toEqual({ phase: 'Pending' });
  });

  it('wants access modes, a positive size, a class name and a PVC data source in the core group', () => {
    expect(causesOf(claim({ accessModes: [], resources: {} }))).toEqual(['spec.accessModes: Required value: at least 1 access mode is required', 'spec.resources[storage]: Required value']);
    expect(
      causesOf(claim({ accessModes: ['ReadWriteOncePod', 'ReadOnlyMany'], resources: { requests: { storage: '0' } }, storageClassName: 'Fast_SSD', dataSource: { kind: 'Snapshot', name: 'snap' } })),
    ).toEqual([
      'spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes',
      'spec.resources[storage]: Invalid value: "0": must be greater than zero',
      expect.stringMatching(/^spec\.storageClassName: Invalid value: "Fast_SSD": a lowercase RFC 1123 subdomain/),
      "spec.dataSource: Invalid value: \"Snapshot\": must be 'PersistentVolumeClaim' when referencing the default apiGroup",
    ]);
    expect(causesOf(claim({ accessModes: ['ReadWriteSometimes'] }))).toEqual([
      'spec.accessModes[0]: Unsupported value: "ReadWriteSometimes": supported values: "ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"',
    ]);
  });

  it('lets an update grow the request, not change the rest of the spec', () => {
    expect(admitUpdate(claim(), (next) => ((next.spec as { resources: unknown }).resources = { requests: { storage: '2Gi' } })).causes).toEqual([]);
    expect(described(admitUpdate(claim(), (next) => ((next.spec as { storageClassName: string }).storageClassName = 'slow')).causes)).toEqual([
      'spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
    ]);
  });
});

describe('PersistentVolume', () => {
  it('defaults Retain, Filesystem and a Pending phase from its creation', () => {
    const { object, causes } = admit(volume());
    expect(causes).toEqual([]);
    expect(object.spec).toMatchObject({ persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem', hostPath: { path: '/mnt/pv-1', type: '' } });
    expect(object.status).toEqual({ phase: 'Pending', lastPhaseTransitionTime: '2025-01-01T00:00:00Z' });
  });

  it('wants one volume source, access modes, and a positive storage capacity alone', () => {
    expect(causesOf(volume({ hostPath: undefined, accessModes: [], capacity: { storage: '0', cpu: '1' } }))).toEqual([
      'spec.accessModes: Required value',
      'spec.capacity: Unsupported value: map[string]string{"cpu":"1", "storage":"0"}: supported values: "storage"',
      'spec.capacity[storage]: Invalid value: "0": must be greater than zero',
      'spec: Required value: must specify a volume type',
    ]);
    expect(causesOf(volume({ nfs: { server: 'nas', path: '/export' } }))).toEqual(['spec.nfs: Forbidden: may not specify more than 1 volume type']);
    expect(causesOf(volume({ hostPath: undefined, local: { path: '/mnt/disk' } }))).toEqual(['spec.nodeAffinity: Required value: Local volume requires node affinity']);
  });

  it('keeps its source and volume mode on update', () => {
    const { causes } = admitUpdate(volume(), (next) => {
      const spec = next.spec as Record<string, unknown>;
      spec.hostPath = { path: '/mnt/other', type: '' };
      spec.volumeMode = 'Block';
    });
    expect(described(causes)).toEqual([
      'spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation',
      'spec.volumeMode: Invalid value: "Block": field is immutable',
    ]);
  });
});

describe('Ingress', () => {
  it('accepts rules and a default backend, and defaults nothing', () => {
    const spec = { ingressClassName: 'nginx', defaultBackend: backend(), rules: rules({ path: '/', pathType: 'Prefix', backend: backend({ name: 'http' }) }) };
    const { object, causes } = admit(ingress(spec));
    expect(causes).toEqual([]);
    expect(object.spec).toEqual(spec);
  });

  it('wants rules or a default backend, and a type for every path', () => {
    expect(causesOf(ingress({}))).toEqual(['spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified']);
    expect(causesOf(ingress({ rules: rules({ path: '/', backend: backend() }) }))).toEqual(['spec.rules[0].http.paths[0].pathType: Required value']);
    expect(causesOf(ingress({ rules: rules({ path: '/', pathType: 'Glob', backend: backend() }) }))).toEqual([
      'spec.rules[0].http.paths[0].pathType: Unsupported value: "Glob": supported values: "Exact", "ImplementationSpecific", "Prefix"',
    ]);
  });

  it('checks hosts, paths and backends, naming each field', () => {
    const spec = {
      rules: [
        { host: '10.0.0.1', http: { paths: [{ path: 'shop', pathType: 'Exact', backend: backend({}) }] } },
        { host: '*.example.com', http: { paths: [{ path: '/a//b', pathType: 'Prefix', backend: { service: { name: 'Web', port: { name: 'http', number: 80 } } } }] } },
        { http: { paths: [{ path: '/', pathType: 'ImplementationSpecific', backend: { resource: { kind: 'Bucket', name: 'static' }, service: { name: 'web', port: { number: 80 } } } }] } },
      ],
    };
    expect(causesOf(ingress(spec))).toEqual([
      'spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address',
      'spec.rules[0].http.paths[0].path: Invalid value: "shop": must be an absolute path',
      'spec.rules[0].http.paths[0].backend: Required value: port name or number is required',
      "spec.rules[1].http.paths[0].path: Invalid value: \"/a//b\": must not contain '//'",
      expect.stringMatching(/^spec\.rules\[1\]\.http\.paths\[0\]\.backend\.service\.name: Invalid value: "Web": a DNS-1035 label/),
      'spec.rules[1].http.paths[0].backend: Invalid value: "": cannot set both port name & port number',
      'spec.rules[2].http.paths[0].backend: Invalid value: "": cannot set both resource and service backends',
    ]);
  });
});

describe('EndpointSlice', () => {
  it('defaults each port to the empty name and TCP', () => {
    const { object, causes } = admit(slice({ ports: [{ port: 80 }, { name: 'dns', port: 53, protocol: 'UDP' }], endpoints: [{ addresses: ['10.0.0.5'] }] }));
    expect(causes).toEqual([]);
    expect(object.ports).toEqual([
      { port: 80, name: '', protocol: 'TCP' },
      { name: 'dns', port: 53, protocol: 'UDP' },
    ]);
  });

  it('checks addresses against the address type, and port names', () => {
    const bad = slice({
      endpoints: [{ addresses: ['10.0.0.300', '127.0.0.1'] }, { addresses: [], hostname: 'Pod_1' }],
      ports: [{ name: 'http', port: 80 }, { name: 'http', port: 81 }],
    });
    expect(causesOf(bad)).toEqual([
      'endpoints[0].addresses[0]: Invalid value: "10.0.0.300": must be a valid IPv4 address',
      'endpoints[0].addresses[1]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      'endpoints[1].addresses: Required value: must contain at least 1 address',
      expect.stringMatching(/^endpoints\[1\]\.hostname: Invalid value: "Pod_1": a lowercase RFC 1123 label/),
      'ports[1].name: Duplicate value: "http"',
    ]);
    expect(causesOf(slice({ addressType: 'IPv5' }))).toEqual(['addressType: Unsupported value: "IPv5": supported values: "FQDN", "IPv4", "IPv6"']);
  });

  it('keeps the address type on update', () => {
    const { causes } = admitUpdate(slice({ endpoints: [{ addresses: ['10.0.0.5'] }] }), (next) => {
      next.addressType = 'IPv6';
      next.endpoints = [{ addresses: ['fd00::5'] }];
    });
    expect(described(causes)).toEqual(['addressType: Invalid value: "IPv6": field is immutable']);
  });
});
