import { builtinKinds } from '../../../crds';
import type { Obj } from '../../api/object';
import { ResourceType } from '../registry';
import { printerFor } from './table';

const now = Date.parse('2024-05-01T12:00:00Z');
const meta = (name: string) => ({ name, namespace: 'default', creationTimestamp: new Date(now - 7200_000).toISOString() });

/** The printed cells of one object of a built-in kind, keyed by column name. */
function row(kind: string, object: Record<string, unknown>): Record<string, unknown> {
  const printer = printerFor(new ResourceType(builtinKinds.find((d) => d.kind === kind)!));
  const cells = printer.cells({ kind, ...object } as Obj, now);
  expect(cells).toHaveLength(printer.columns.length);
  return Object.fromEntries(printer.columns.map((c, i) => [c.name, cells[i]]));
}

const template = (spec: Record<string, unknown> = {}) => ({
  metadata: { labels: { app: 'agent' } },
  spec: { containers: [{ name: 'agent', image: 'fluentd:1.16' }, { name: 'shipper', image: 'busybox' }], ...spec },
});

describe('DaemonSet', () => {
  it('prints the node counts, the node selector and, wide, the template and selector', () => {
    const ds = {
      metadata: meta('logs'),
      spec: { selector: { matchLabels: { app: 'agent' } }, template: template({ nodeSelector: { 'kubernetes.io/os': 'linux', disk: 'ssd' } }) },
      status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2, numberMisscheduled: 0 },
    };
    expect(row('DaemonSet', ds)).toEqual({
      Name: 'logs',
      Desired: 3,
      Current: 3,
      Ready: 2,
      'Up-to-date': 3,
      Available: 2,
      'Node Selector': 'disk=ssd,kubernetes.io/os=linux',
      Age: '120m',
      Containers: 'agent,shipper',
      Images: 'fluentd:1.16,busybox',
      Selector: 'app=agent',
    });
  });

  it('prints zeros and <none> for a new DaemonSet without status or node selector', () => {
    const ds = { metadata: meta('new'), spec: { selector: { matchLabels: { app: 'agent' } }, template: template() } };
    expect(row('DaemonSet', ds)).toMatchObject({ Desired: 0, Current: 0, Ready: 0, 'Up-to-date': 0, Available: 0, 'Node Selector': '<none>' });
  });
});

describe('StatefulSet', () => {
  it('prints ready/desired and, wide, the containers and images', () => {
    const sts = { metadata: meta('db'), spec: { replicas: 3, selector: { matchLabels: { app: 'db' } }, template: template() }, status: { replicas: 2, readyReplicas: 1 } };
    expect(row('StatefulSet', sts)).toEqual({ Name: 'db', Ready: '1/3', Age: '120m', Containers: 'agent,shipper', Images: 'fluentd:1.16,busybox' });
    expect(row('StatefulSet', { metadata: meta('empty'), spec: { replicas: 0, template: template() } }).Ready).toBe('0/0');
  });
});

describe('ReplicationController', () => {
  it('prints desired, current and ready replicas and its selector map', () => {
    const rc = { metadata: meta('web'), spec: { replicas: 3, selector: { tier: 'front', app: 'web' }, template: template() }, status: { replicas: 3, readyReplicas: 2 } };
    expect(row('ReplicationController', rc)).toEqual({
      Name: 'web',
      Desired: 3,
      Current: 3,
      Ready: 2,
      Age: '120m',
      Containers: 'agent,shipper',
      Images: 'fluentd:1.16,busybox',
      Selector: 'app=web,tier=front',
    });
  });

  it('prints an RC without template or status', () => {
    expect(row('ReplicationController', { metadata: meta('bare'), spec: { replicas: 1 } })).toMatchObject({ Current: 0, Ready: 0, Containers: '', Images: '', Selector: '<none>' });
  });
});
