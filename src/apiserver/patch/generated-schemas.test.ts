/**
 * The patch engine against the schemas the server will actually pass (crds/), so that the two
 * cannot drift apart: the hand-written fixtures in test-schemas.ts stay the reference for the
 * detailed behaviour.
 */
import { configMaps } from '../../../crds/core';
import { deployments } from '../../../crds/apps';
import { Conflict } from '../../api/errors';
import type { Obj } from '../../api/object';
import { applyPatch, patchObject } from './index';

const now = '2024-05-01T10:00:00Z';

function deployment(image: string, replicas = 2): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            { name: 'nginx', image, env: [{ name: 'A', value: '1' }, { name: 'B', value: 'x' }], ports: [{ containerPort: 80, protocol: 'TCP' }] },
            { name: 'sidecar', image: 'busybox' },
          ],
        },
      },
    },
  };
}

describe('the patch engine on the generated kind schemas', () => {
  it('applies kubectl 1.32 strategic merge patch to a Deployment', () => {
    const patch = {
      spec: {
        strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' },
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'nginx' }],
            containers: [
              {
                '$setElementOrder/env': [{ name: 'A' }],
                '$setElementOrder/ports': [{ containerPort: 80 }, { containerPort: 443 }],
                env: [{ name: 'A', value: '2' }, { $patch: 'delete', name: 'B' }],
                image: 'nginx:1.26',
                name: 'nginx',
                ports: [{ containerPort: 443 }],
              },
              { $patch: 'delete', name: 'sidecar' },
            ],
          },
        },
      },
    };
    const result = patchObject(deployment('nginx:1.25'), 'strategic', patch, deployments.schema);
    expect(result.spec).toEqual({
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'Recreate' },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            { name: 'nginx', image: 'nginx:1.26', env: [{ name: 'A', value: '2' }], ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443 }] },
          ],
        },
      },
    });
  });

  it('server-side applies a Deployment, merging containers by name and keeping status unowned', () => {
    const options = { apiVersion: 'apps/v1', kind: 'Deployment', now, schema: deployments.schema, statusSubresource: deployments.subresources.status };
    const created = applyPatch(undefined, deployment('nginx:1.25'), { ...options, manager: 'alice' }).object;
    const fields = created.metadata.managedFields?.[0].fieldsV1 as Record<string, any>;
    expect(Object.keys(fields['f:spec']['f:template']['f:spec']['f:containers'])).toEqual(['k:{"name":"nginx"}', 'k:{"name":"sidecar"}']);
    expect(fields['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"nginx"}']['f:ports']).toEqual({
      'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} },
    });

    expect(() => applyPatch(created, deployment('nginx:1.25', 5), { ...options, manager: 'bob' })).toThrow(
      new Conflict('Apply failed with 1 conflict: conflict with "alice": .spec.replicas'),
    );
    const withoutSidecar = deployment('nginx:1.26');
    (withoutSidecar.spec as any).template.spec.containers.pop();
    const { object } = applyPatch(created, { ...withoutSidecar, status: { replicas: 7 } }, { ...options, manager: 'alice' });
    expect((object.spec as any).template.spec.containers.map((c: any) => `${c.name}=${c.image}`)).toEqual(['nginx=nginx:1.26']);
    expect(object).not.toHaveProperty('status');
  });

  it('server-side applies a ConfigMap as in the Kubernetes documentation', () => {
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'test-cm', namespace: 'default', labels: { 'test-label': 'test' } }, data: { key: 'some value' } };
    const { managedFields } = applyPatch(undefined, body, { manager: 'kubectl', apiVersion: 'v1', kind: 'ConfigMap', now, schema: configMaps.schema });
    expect(managedFields[0].fieldsV1).toEqual({ 'f:metadata': { 'f:labels': { 'f:test-label': {} } }, 'f:data': { 'f:key': {} } });
  });
});
