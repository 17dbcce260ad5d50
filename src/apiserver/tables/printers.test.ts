import { builtinKinds } from '../../../crds';
import type { Obj } from '../../api/object';
import { ResourceType } from '../registry';
import { printerFor, toTable } from './table';

const now = Date.parse('2024-05-01T12:00:00Z');
const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: 'default', creationTimestamp: ago(7200), ...extra });

function typeOf(kind: string): ResourceType {
  const decl = builtinKinds.find((d) => d.kind === kind);
  if (!decl) throw new Error(`no built-in kind ${kind}`);
  return new ResourceType(decl);
}

/** The printed cells of one object, keyed by column name. */
function row(kind: string, object: Record<string, unknown>): Record<string, unknown> {
  const printer = printerFor(typeOf(kind));
  const cells = printer.cells({ apiVersion: 'v1', kind, ...object } as Obj, now);
  expect(cells).toHaveLength(printer.columns.length);
  return Object.fromEntries(printer.columns.map((c, i) => [c.name, cells[i]]));
}

const columns = (kind: string) => printerFor(typeOf(kind)).columns.map((c) => (c.priority > 0 ? `${c.name}*` : c.name));

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'main', image: 'nginx:1.25' }, { name: 'log', image: 'busybox' }] } };

describe('upstream column sets', () => {
  it.each([
    ['Deployment', ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers*', 'Images*', 'Selector*']],
    ['ReplicaSet', ['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers*', 'Images*', 'Selector*']],
    ['Service', ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector*']],
    ['Endpoints', ['Name', 'Endpoints', 'Age']],
    ['Node', ['Name', 'Status', 'Roles', 'Age', 'Version', 'Internal-IP*', 'External-IP*', 'OS-Image*', 'Kernel-Version*', 'Container-Runtime*']],
    ['Namespace', ['Name', 'Status', 'Age']],
    ['Job', ['Name', 'Status', 'Completions', 'Duration', 'Age', 'Containers*', 'Images*', 'Selector*']],
    ['CronJob', ['Name', 'Schedule', 'Timezone', 'Suspend', 'Active', 'Last Schedule', 'Age', 'Containers*', 'Images*', 'Selector*']],
    ['Event', ['Last Seen', 'Type', 'Reason', 'Object', 'Subobject*', 'Source*', 'Message', 'First Seen*', 'Count*', 'Name*']],
    ['ConfigMap', ['Name', 'Data', 'Age']],
    ['Secret', ['Name', 'Type', 'Data', 'Age']],
    ['Lease', ['Name', 'Holder', 'Age']],
    ['CustomResourceDefinition', ['Name', 'Created At']],
    ['ReplicationController', ['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers*', 'Images*', 'Selector*']],
    ['DaemonSet', ['Name', 'Desired', 'Current', 'Ready', 'Up-to-date', 'Available', 'Node Selector', 'Age', 'Containers*', 'Images*', 'Selector*']],
    ['StatefulSet', ['Name', 'Ready', 'Age', 'Containers*', 'Images*']],
    ['PersistentVolumeClaim', ['Name', 'Status', 'Volume', 'Capacity', 'Access Modes', 'StorageClass', 'VolumeAttributesClass', 'Age', 'VolumeMode*']],
    ['PersistentVolume', ['Name', 'Capacity', 'Access Modes', 'Reclaim Policy', 'Status', 'Claim', 'StorageClass', 'VolumeAttributesClass', 'Reason', 'Age', 'VolumeMode*']],
    ['Ingress', ['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age']],
    ['EndpointSlice', ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age']],
    ['ServiceAccount', ['Name', 'Secrets', 'Age']],
    ['PodDisruptionBudget', ['Name', 'Min Available', 'Max Unavailable', 'Allowed Disruptions', 'Age']],
    ['ResourceQuota', ['Name', 'Age', 'Request', 'Limit']],
    ['LimitRange', ['Name', 'Created At']],
  ])('%s', (kind, expected) => {
    expect(columns(kind)).toEqual(expected);
  });
});

describe('Deployment and ReplicaSet', () => {
  it('prints ready/desired, updated, available and the template', () => {
    const deployment = { metadata: meta('web'), spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template }, status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } };
    expect(row('Deployment', deployment)).toEqual({
      Name: 'web',
      Ready: '2/3',
      'Up-to-date': 3,
      Available: 2,
      Age: '120m',
      Containers: 'main,log',
      Images: 'nginx:1.25,busybox',
      Selector: 'app=web',
    });
  });

  it('prints a deployment without status as 0/desired', () => {
    expect(row('Deployment', { metadata: meta('new'), spec: { replicas: 2, selector: { matchLabels: { app: 'x' } }, template } })).toMatchObject({ Ready: '0/2', 'Up-to-date': 0, Available: 0 });
  });

  it('prints desired, current and ready replicas with a set-based selector', () => {
    const rs = {
      metadata: meta('web-6d4f'),
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, template },
      status: { replicas: 2, readyReplicas: 1 },
    };
    expect(row('ReplicaSet', rs)).toMatchObject({ Desired: 2, Current: 2, Ready: 1, Selector: 'app=web,tier in (back,front)' });
  });
});

describe('Service', () => {
  const service = (spec: Record<string, unknown>, status: Record<string, unknown> = {}) => row('Service', { metadata: meta('web'), spec, status });

  it('prints a ClusterIP service with <none> for what it lacks', () => {
    expect(service({ type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ port: 80, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }], selector: { app: 'web', tier: 'front' } })).toEqual({
      Name: 'web',
      Type: 'ClusterIP',
      'Cluster-IP': '10.96.0.10',
      'External-IP': '<none>',
      'Port(s)': '80/TCP,53/UDP',
      Age: '120m',
      Selector: 'app=web,tier=front',
    });
  });

  it('prints node ports as port:nodePort/protocol', () => {
    expect(service({ type: 'NodePort', clusterIPs: ['10.96.0.11'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] })).toMatchObject({ 'Port(s)': '80:30080/TCP', Selector: '<none>' });
  });

  it('prints external IPs, pending and assigned load balancers, and external names', () => {
    expect(service({ type: 'ClusterIP', clusterIPs: ['10.96.0.12'], externalIPs: ['192.0.2.1', '192.0.2.2'] })['External-IP']).toBe('192.0.2.1,192.0.2.2');
    expect(service({ type: 'LoadBalancer', clusterIPs: ['10.96.0.13'], ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] })['External-IP']).toBe('<pending>');
    expect(service({ type: 'LoadBalancer', clusterIPs: ['10.96.0.13'] }, { loadBalancer: { ingress: [{ ip: '203.0.113.9' }, { hostname: 'lb.example.com' }] } })['External-IP']).toBe('203.0.113.9,lb.example.com');
    expect(service({ type: 'ExternalName', externalName: 'db.example.com' })).toMatchObject({ 'Cluster-IP': '<none>', 'External-IP': 'db.example.com', 'Port(s)': '<none>' });
  });

  it('prints a headless service as None', () => {
    expect(service({ clusterIP: 'None', clusterIPs: ['None'], ports: [{ port: 80 }] })).toMatchObject({ Type: 'ClusterIP', 'Cluster-IP': 'None', 'Port(s)': '80/TCP' });
  });
});

describe('Endpoints', () => {
  it('prints ip:port pairs, and how many more past three', () => {
    const addresses = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'].map((ip) => ({ ip }));
    expect(row('Endpoints', { metadata: meta('web'), subsets: [{ addresses: addresses.slice(0, 2), ports: [{ port: 8080 }] }] }).Endpoints).toBe('10.0.0.1:8080,10.0.0.2:8080');
    expect(row('Endpoints', { metadata: meta('web'), subsets: [{ addresses, ports: [{ port: 80 }, { port: 443 }] }] }).Endpoints).toBe('10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 5 more...');
    expect(row('Endpoints', { metadata: meta('web'), subsets: [{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 80 }] }] }).Endpoints).toBe('[fd00::1]:80');
    expect(row('Endpoints', { metadata: meta('headless'), subsets: [{ addresses: [{ ip: '10.0.0.9' }] }] }).Endpoints).toBe('10.0.0.9');
    expect(row('Endpoints', { metadata: meta('empty') }).Endpoints).toBe('<none>');
  });
});

describe('Node', () => {
  const node = (extra: Record<string, unknown>) =>
    row('Node', {
      metadata: { ...meta('n1'), namespace: undefined, labels: { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/worker': '', 'kubernetes.io/role': 'edge' } },
      status: {
        conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }],
        addresses: [{ type: 'InternalIP', address: '192.168.1.10' }, { type: 'Hostname', address: 'n1' }],
        nodeInfo: { kubeletVersion: 'v1.32.0-berth', osImage: 'Debian GNU/Linux 12', kernelVersion: '6.1.0', containerRuntimeVersion: 'docker://27.0.1' },
      },
      ...extra,
    });

  it('prints status, roles, version and the wide facts', () => {
    expect(node({})).toEqual({
      Name: 'n1',
      Status: 'Ready',
      Roles: 'control-plane,edge,worker',
      Age: '120m',
      Version: 'v1.32.0-berth',
      'Internal-IP': '192.168.1.10',
      'External-IP': '<none>',
      'OS-Image': 'Debian GNU/Linux 12',
      'Kernel-Version': '6.1.0',
      'Container-Runtime': 'docker://27.0.1',
    });
  });

  it('prints NotReady, Unknown and SchedulingDisabled', () => {
    expect(node({ status: { conditions: [{ type: 'Ready', status: 'False' }] } }).Status).toBe('NotReady');
    expect(node({ status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } }).Status).toBe('NotReady');
    expect(node({ status: {} })).toMatchObject({ Status: 'Unknown', 'OS-Image': '<unknown>', 'Internal-IP': '<none>' });
    expect(node({ spec: { unschedulable: true } }).Status).toBe('Ready,SchedulingDisabled');
  });

  it('prints <none> for a node without roles', () => {
    expect(row('Node', { metadata: { name: 'plain', creationTimestamp: ago(60) } }).Roles).toBe('<none>');
  });
});

describe('Job', () => {
  const job = (spec: Record<string, unknown>, status: Record<string, unknown>, metadata = meta('backup')) => row('Job', { metadata, spec: { template, ...spec }, status });

  it('prints Complete with completions and the time it took', () => {
    expect(job({ completions: 1, selector: { matchLabels: { 'batch.kubernetes.io/job-name': 'backup' } } }, { succeeded: 1, startTime: ago(200), completionTime: ago(125), conditions: [{ type: 'Complete', status: 'True' }] })).toEqual({
      Name: 'backup',
      Status: 'Complete',
      Completions: '1/1',
      Duration: '75s',
      Age: '120m',
      Containers: 'main,log',
      Images: 'nginx:1.25,busybox',
      Selector: 'batch.kubernetes.io/job-name=backup',
    });
  });

  it('prints Running with the time since it started', () => {
    expect(job({ completions: 3 }, { succeeded: 1, startTime: ago(90) })).toMatchObject({ Status: 'Running', Completions: '1/3', Duration: '90s', Selector: '<none>' });
  });

  it('prints Failed, Suspended and Terminating, and an empty duration before it starts', () => {
    expect(job({}, { conditions: [{ type: 'Failed', status: 'True' }] })).toMatchObject({ Status: 'Failed', Completions: '0/1', Duration: '' });
    expect(job({ parallelism: 3 }, { conditions: [{ type: 'Suspended', status: 'True' }] })).toMatchObject({ Status: 'Suspended', Completions: '0/1 of 3' });
    expect(job({}, { conditions: [{ type: 'Complete', status: 'False' }] }, meta('backup', { deletionTimestamp: ago(1) })).Status).toBe('Terminating');
  });
});

describe('CronJob', () => {
  it('prints schedule, time zone, suspend, active jobs and the last schedule', () => {
    const cronJob = {
      metadata: meta('nightly'),
      spec: { schedule: '0 3 * * *', timeZone: 'Europe/Paris', suspend: false, jobTemplate: { spec: { template } } },
      status: { active: [{ name: 'nightly-1' }], lastScheduleTime: ago(300) },
    };
    expect(row('CronJob', cronJob)).toEqual({
      Name: 'nightly',
      Schedule: '0 3 * * *',
      Timezone: 'Europe/Paris',
      Suspend: 'False',
      Active: 1,
      'Last Schedule': '5m',
      Age: '120m',
      Containers: 'main,log',
      Images: 'nginx:1.25,busybox',
      Selector: '<none>',
    });
  });

  it('prints what is unset', () => {
    expect(row('CronJob', { metadata: meta('x'), spec: { schedule: '@hourly', jobTemplate: { spec: { template } } } })).toMatchObject({ Timezone: '<none>', Suspend: '<unset>', Active: 0, 'Last Schedule': '<none>' });
  });
});

describe('Event', () => {
  it('prints as kubectl get events does, with the wide facts', () => {
    const event = {
      metadata: meta('web.17a'),
      involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'default', fieldPath: 'spec.containers{main}' },
      reason: 'BackOff',
      message: 'Back-off restarting failed container\n',
      source: { component: 'berth-agent', host: 'n1' },
      firstTimestamp: ago(600),
      lastTimestamp: ago(30),
      count: 7,
      type: 'Warning',
    };
    expect(row('Event', event)).toEqual({
      'Last Seen': '30s',
      Type: 'Warning',
      Reason: 'BackOff',
      Object: 'pod/web-1',
      Subobject: 'spec.containers{main}',
      Source: 'berth-agent, n1',
      Message: 'Back-off restarting failed container',
      'First Seen': '10m',
      Count: 7,
      Name: 'web.17a',
    });
  });

  it('falls back to the event time, the series and the reporting controller', () => {
    const event = {
      metadata: meta('x.1'),
      involvedObject: { kind: 'Node' },
      eventTime: ago(120),
      series: { count: 4, lastObservedTime: ago(10) },
      reportingComponent: 'berth/node-lifecycle',
      type: 'Normal',
    };
    expect(row('Event', event)).toMatchObject({ 'Last Seen': '10s', 'First Seen': '2m', Count: 4, Object: 'node', Source: 'berth/node-lifecycle' });
    expect(row('Event', { metadata: meta('y'), involvedObject: { kind: 'Pod', name: 'p' }, firstTimestamp: ago(50) })).toMatchObject({ 'Last Seen': '50s', Count: 1 });
  });
});

describe('small kinds', () => {
  it('counts ConfigMap data and binary data, and Secret data', () => {
    expect(row('ConfigMap', { metadata: meta('cfg'), data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } })).toEqual({ Name: 'cfg', Data: 3, Age: '120m' });
    expect(row('Secret', { metadata: meta('tls'), type: 'kubernetes.io/tls', data: { 'tls.crt': 'x', 'tls.key': 'y' } })).toEqual({ Name: 'tls', Type: 'kubernetes.io/tls', Data: 2, Age: '120m' });
  });

  it('prints a namespace phase and a lease holder', () => {
    expect(row('Namespace', { metadata: meta('team'), status: { phase: 'Terminating' } })).toEqual({ Name: 'team', Status: 'Terminating', Age: '120m' });
    expect(row('Lease', { metadata: meta('scheduler'), spec: { holderIdentity: 'berth-1' } })).toEqual({ Name: 'scheduler', Holder: 'berth-1', Age: '120m' });
    expect(row('Lease', { metadata: meta('free'), spec: {} }).Holder).toBe('');
  });

  it('prints a CRD with its creation time, not an age', () => {
    expect(row('CustomResourceDefinition', { metadata: { name: 'crontabs.stable.example.com', creationTimestamp: '2024-04-30T10:20:30Z' } })).toEqual({
      Name: 'crontabs.stable.example.com',
      'Created At': '2024-04-30T10:20:30Z',
    });
  });
});

describe('toTable', () => {
  it('carries the list version, the columns and each row metadata', () => {
    const objects = [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...meta('a'), uid: 'u1', labels: { x: 'y' } }, data: {} }];
    const table = toTable(typeOf('ConfigMap'), objects as Obj[], { resourceVersion: '42' });
    expect(table).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: '42' } });
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Data', 'Age']);
    expect(table.rows[0].object).toEqual({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: objects[0].metadata });
    expect(toTable(typeOf('ConfigMap'), objects as Obj[], { noHeaders: true, includeObject: 'None' })).toMatchObject({ columnDefinitions: [], rows: [{ cells: ['a', 0, expect.any(String)] }] });
  });
});
