import { Invalid } from '../../src/api/errors';
import type { Pod } from '../../src/api/types';
import { pod } from './fixtures';
import { podInfo } from './pod-info';

describe('podInfo', () => {
  it('counts 100m cpu and 200Mi memory per container that asks none, for scores only', () => {
    const p = pod('p', { cpu: '250m' });
    p.spec!.containers.push({ name: 'sidecar', image: 'busybox' });
    const { requests } = podInfo(p);
    expect(requests).toMatchObject({ cpu: 250, memory: 0, scoringCpu: 350, scoringMemory: 2 * 200 * 2 ** 20 });
  });

  it('keeps extended resources apart from cpu, memory and ephemeral storage', () => {
    expect(podInfo(pod('p', { cpu: '1', storage: '1Gi', extended: { 'nvidia.com/gpu': '2', 'hugepages-2Mi': '4Mi' } })).requests).toEqual({
      cpu: 1000,
      memory: 0,
      ephemeralStorage: 2 ** 30,
      scalar: [
        ['nvidia.com/gpu', 2],
        ['hugepages-2Mi', 4 * 2 ** 20],
      ],
      scoringCpu: 1000,
      scoringMemory: 200 * 2 ** 20,
    });
  });

  it('collects the host ports of containers and sidecars, with TCP and all addresses by default', () => {
    const p = pod('p', { hostPorts: [{ port: 80 }, { port: 53, protocol: 'UDP', ip: '10.0.0.1' }] });
    p.spec!.initContainers = [
      { name: 'sidecar', image: 'busybox', restartPolicy: 'Always', ports: [{ containerPort: 9000, hostPort: 9000 }] },
      { name: 'setup', image: 'busybox', ports: [{ containerPort: 9001, hostPort: 9001 }] },
    ];
    p.spec!.containers[0].ports!.push({ containerPort: 8080 });
    expect(podInfo(p).hostPorts).toEqual([
      { ip: '0.0.0.0', protocol: 'TCP', port: 80 },
      { ip: '10.0.0.1', protocol: 'UDP', port: 53 },
      { ip: '0.0.0.0', protocol: 'TCP', port: 9000 },
    ]);
  });

  it('takes the controller among the owners, and no owner that is not a controller', () => {
    const p = pod('p');
    p.metadata.ownerReferences = [
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'c', uid: 'not-me' },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs-uid', controller: true },
    ];
    expect(podInfo(p).owner).toBe('rs-uid');
    p.metadata.ownerReferences = p.metadata.ownerReferences.slice(0, 1);
    expect(podInfo(p).owner).toBeUndefined();
  });

  it("scopes a term without namespaces to the pod's own namespace", () => {
    const p = pod('p', {
      namespace: 'team',
      affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'zone', labelSelector: { matchLabels: { app: 'x' } } }] } },
    });
    expect([...podInfo(p).requiredAffinity[0].namespaces]).toEqual(['team']);
  });

  it('reports a selector that does not parse as Invalid, naming the pod and the field', () => {
    const p: Pod = pod('p', {
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'zone', labelSelector: { matchExpressions: [{ key: 'app', operator: 'In' }] } }],
        },
      },
    });
    let error: unknown;
    try {
      podInfo(p);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Invalid);
    expect((error as Invalid).message).toMatch(/^pod default\/p: /);
    expect((error as Invalid).causes[0].field).toBe('spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].values');
  });
});
