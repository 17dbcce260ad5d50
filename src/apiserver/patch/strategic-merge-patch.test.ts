import { BadRequest } from '../../api/errors';
import { strategicMergePatch } from './strategic-merge-patch';
import { deploymentSchema, podSpecSchema, widgetSchema } from './test-schemas';

const lastApplied = 'kubectl.kubernetes.io/last-applied-configuration';

/** A Deployment as the server stores it after a first client-side apply. */
function liveDeployment(): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      uid: 'a1',
      resourceVersion: '12',
      annotations: { [lastApplied]: '{"old":true}\n', 'deployment.kubernetes.io/revision': '1' },
      finalizers: ['example.com/a', 'example.com/b'],
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'nginx',
              image: 'nginx:1.25',
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: 'x' },
              ],
              ports: [{ containerPort: 80, protocol: 'TCP' }],
            },
            { name: 'sidecar', image: 'busybox', command: ['sleep', 'infinity'] },
          ],
        },
      },
    },
  };
}

function spec(object: Record<string, unknown>): Record<string, any> {
  return object.spec as Record<string, any>;
}

describe('strategic merge patch', () => {
  it('applies the exact patch kubectl 1.32 sent for a changed manifest (K8S-WIRE §5.2)', () => {
    const patch = JSON.parse(`{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\\"new\\":true}\\n"}},
 "spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":null,"type":"Recreate"},
  "template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],
   "containers":[{"$setElementOrder/env":[{"name":"A"}],
     "$setElementOrder/ports":[{"containerPort":80},{"containerPort":443}],
     "env":[{"name":"A","value":"2"},{"$patch":"delete","name":"B"}],
     "image":"nginx:1.26","name":"nginx","ports":[{"containerPort":443}]},
    {"$patch":"delete","name":"sidecar"}]}}}}`);
    const result = strategicMergePatch(liveDeployment(), patch, deploymentSchema);

    expect(result).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'web',
        namespace: 'default',
        uid: 'a1',
        resourceVersion: '12',
        annotations: { [lastApplied]: '{"new":true}\n', 'deployment.kubernetes.io/revision': '1' },
        finalizers: ['example.com/a', 'example.com/b'],
      },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        strategy: { type: 'Recreate' },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              {
                name: 'nginx',
                image: 'nginx:1.26',
                env: [{ name: 'A', value: '2' }],
                ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443 }],
              },
            ],
          },
        },
      },
    });
    expect(JSON.stringify(result)).not.toContain('$');
  });

  it('merges containers by name, leaving the others alone', () => {
    const result = strategicMergePatch(
      liveDeployment(),
      { spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'busybox:1.36' }] } } } },
      deploymentSchema,
    );
    const containers = spec(result).template.spec.containers;
    expect(containers.map((c: any) => [c.name, c.image])).toEqual([
      ['nginx', 'nginx:1.25'],
      ['sidecar', 'busybox:1.36'],
    ]);
    expect(containers[1].command).toEqual(['sleep', 'infinity']);
  });

  it('deletes an env entry with $patch: delete and merges the rest by name', () => {
    const result = strategicMergePatch(
      liveDeployment(),
      { spec: { template: { spec: { containers: [{ name: 'nginx', env: [{ $patch: 'delete', name: 'A' }, { name: 'C', value: '3' }] }] } } } },
      deploymentSchema,
    );
    expect(spec(result).template.spec.containers[0].env).toEqual([
      { name: 'C', value: '3' },
      { name: 'B', value: 'x' },
    ]);
  });

  it.each([
    ['puts listed items in the listed order', [{ name: 'sidecar' }, { name: 'nginx' }], [], ['sidecar', 'nginx']],
    [
      'places a new item where $setElementOrder says',
      [{ name: 'nginx' }, { name: 'logger' }, { name: 'sidecar' }],
      [{ name: 'logger', image: 'fluentbit' }],
      ['nginx', 'logger', 'sidecar'],
    ],
    // Upstream puts listed items that are new ahead of server-only ones it cannot place.
    ['puts a listed new item ahead of items the order leaves out', [{ name: 'logger' }], [{ name: 'logger', image: 'fluentbit' }], ['logger', 'nginx', 'sidecar']],
  ])('$setElementOrder %s', (_name, order, containers, names) => {
    const result = strategicMergePatch(
      liveDeployment(),
      { spec: { template: { spec: { '$setElementOrder/containers': order, containers } } } },
      deploymentSchema,
    );
    expect(spec(result).template.spec.containers.map((c: any) => c.name)).toEqual(names);
  });

  it('clears the other members of a union with $retainKeys when switching RollingUpdate to Recreate', () => {
    const result = strategicMergePatch(
      liveDeployment(),
      { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
      deploymentSchema,
    );
    expect(spec(result).strategy).toEqual({ type: 'Recreate' });
  });

  it('rejects a $retainKeys that leaves out a field the patch sets', () => {
    expect(() =>
      strategicMergePatch(liveDeployment(), { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: { maxSurge: 1 } } } }, deploymentSchema),
    ).toThrow(/\$retainKeys does not list "rollingUpdate"/);
  });

  it('removes finalizers with $deleteFromPrimitiveList and adds others as a set', () => {
    const result = strategicMergePatch(
      liveDeployment(),
      { metadata: { '$deleteFromPrimitiveList/finalizers': ['example.com/a'], finalizers: ['example.com/c', 'example.com/b'] } },
      deploymentSchema,
    );
    expect((result.metadata as any).finalizers).toEqual(['example.com/c', 'example.com/b']);
  });

  it('removes finalizers with $deleteFromPrimitiveList alone', () => {
    const result = strategicMergePatch(liveDeployment(), { metadata: { '$deleteFromPrimitiveList/finalizers': ['example.com/b'] } }, deploymentSchema);
    expect((result.metadata as any).finalizers).toEqual(['example.com/a']);
  });

  it('replaces a whole list with a $patch: replace item', () => {
    const result = strategicMergePatch(
      liveDeployment(),
      { spec: { template: { spec: { containers: [{ name: 'only', image: 'alpine' }, { $patch: 'replace' }] } } } },
      deploymentSchema,
    );
    expect(spec(result).template.spec.containers).toEqual([{ name: 'only', image: 'alpine' }]);
  });

  it('replaces a whole map with $patch: replace inside it', () => {
    const result = strategicMergePatch(
      liveDeployment(),
      { spec: { template: { metadata: { labels: { $patch: 'replace', tier: 'front' } } } } },
      deploymentSchema,
    );
    expect(spec(result).template.metadata.labels).toEqual({ tier: 'front' });
  });

  it('deletes a map with $patch: delete inside it', () => {
    const result = strategicMergePatch(liveDeployment(), { spec: { strategy: { $patch: 'delete' } } }, deploymentSchema);
    expect(spec(result)).not.toHaveProperty('strategy');
  });

  it('replaces lists that have no patch strategy (command) and deletes members set to null', () => {
    const result = strategicMergePatch(
      liveDeployment(),
      { spec: { replicas: null, template: { spec: { containers: [{ name: 'sidecar', command: ['sh'] }] } } } },
      deploymentSchema,
    );
    expect(spec(result)).not.toHaveProperty('replicas');
    expect(spec(result).template.spec.containers[1].command).toEqual(['sh']);
  });

  it('merges like a JSON merge patch where the schema knows nothing (preserve-unknown-fields)', () => {
    const live = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { items: [{ name: 'a', size: 1 }], color: 'red', size: 3 } };
    const result = strategicMergePatch(live, { spec: { items: [{ name: 'b' }], color: null, shape: { sides: 4 } } }, widgetSchema);
    expect(result.spec).toEqual({ items: [{ name: 'b' }], size: 3, shape: { sides: 4 } });
  });

  it('merges like a JSON merge patch without any schema, and still drops directives', () => {
    const result = strategicMergePatch(
      { a: { list: [1, 2], keep: true } },
      { a: { list: [3], '$setElementOrder/list': [3] }, b: { $patch: 'delete' }, c: [{ $patch: 'replace' }, { x: 1 }] },
      undefined,
    );
    expect(result).toEqual({ a: { list: [3], keep: true }, c: [{ x: 1 }] });
  });

  it('cleans directives out of values that are new to the object', () => {
    const live = { spec: { template: { spec: {} } } };
    const result = strategicMergePatch(
      live,
      { spec: { template: { spec: { containers: [{ name: 'a', '$setElementOrder/env': [{ name: 'X' }], env: [{ name: 'X', value: '1' }, { $patch: 'delete', name: 'Y' }] }] } } } },
      deploymentSchema,
    );
    expect(result).toEqual({ spec: { template: { spec: { containers: [{ name: 'a', env: [{ name: 'X', value: '1' }] }] } } } });
  });

  it('keeps server-only items in place when a merge list gains an item without $setElementOrder', () => {
    const result = strategicMergePatch(
      { containers: [{ name: 'a' }, { name: 'b' }] },
      { containers: [{ name: 'b', image: 'x' }, { name: 'c' }] },
      podSpecSchema,
    );
    expect((result.containers as any[]).map((c) => c.name)).toEqual(['a', 'b', 'c']);
  });

  it('returns a result that shares nothing with the live object', () => {
    const live = liveDeployment();
    const result = strategicMergePatch(live, { spec: { replicas: 3 } }, deploymentSchema);
    (result.metadata as any).annotations.changed = 'yes';
    spec(result).template.spec.containers[0].image = 'changed';
    expect(live).toEqual(liveDeployment());
  });

  it('leaves its inputs untouched', () => {
    const live = liveDeployment();
    const before = JSON.stringify(live);
    const patch = { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'x' }] } } } };
    strategicMergePatch(live, patch, deploymentSchema);
    expect(JSON.stringify(live)).toBe(before);
    expect(patch).toEqual({ spec: { template: { spec: { containers: [{ name: 'nginx', image: 'x' }] } } } });
  });

  it.each([
    ['a merge-list item without its merge key', { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }, /spec.template.spec.containers\[0\]: the item has no merge key "name"/],
    ['an unknown $patch directive', { spec: { strategy: { $patch: 'explode' } } }, /spec.strategy: unknown \$patch directive "explode"/],
    ['a $setElementOrder without a list name', { spec: { $setElementOrder: [] } }, /must have the form \$setElementOrder\/<list field>/],
    [
      'a patch list out of step with $setElementOrder',
      { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ name: 'other' }] } } } },
      /does not match its \$setElementOrder list/,
    ],
  ])('rejects %s with 400 BadRequest naming where', (_name, patch, message) => {
    expect(() => strategicMergePatch(liveDeployment(), patch, deploymentSchema)).toThrow(BadRequest);
    expect(() => strategicMergePatch(liveDeployment(), patch, deploymentSchema)).toThrow(message);
  });
});
