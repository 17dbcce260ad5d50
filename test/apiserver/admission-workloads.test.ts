/**
 * DaemonSet, StatefulSet and ReplicationController admission, table by table: the defaults a
 * Kubernetes 1.32 server sets (pkg/apis/{apps,core}/v1/defaults.go) and the causes its
 * validation gives, at the same paths and in the same words.
 */
import type { Obj } from '../../src/api/object';
import { admit, admitUpdate, described } from './admission-support';

const causesOf = (obj: object): string[] => described(admit(obj).causes);

/** What a real 1.32 cluster stores for a bare template's pod spec with one `nginx:1.27` container. */
const defaultedTemplate = {
  metadata: { labels: { app: 'agent' } },
  spec: {
    containers: [{ name: 'agent', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
  },
};

const template = (spec: Record<string, unknown> = {}, labels: Record<string, string> = { app: 'agent' }) => ({
  metadata: { labels },
  spec: { containers: [{ name: 'agent', image: 'nginx:1.27' }], ...spec },
});

const daemonSet = (spec: Record<string, unknown> = {}): Obj =>
  ({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: template(), ...spec } }) as Obj;

const statefulSet = (spec: Record<string, unknown> = {}): Obj =>
  ({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db' },
    spec: { selector: { matchLabels: { app: 'agent' } }, serviceName: 'db', template: template(), ...spec },
  }) as Obj;

const replicationController = (spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): Obj =>
  ({ apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'web', ...metadata }, spec: { template: template(), ...spec } }) as Obj;

const claimTemplate = { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };

describe('DaemonSet', () => {
  it('defaults a rolling update of one node at a time, ten revisions and the template', () => {
    const { object, causes } = admit(daemonSet());
    expect(causes).toEqual([]);
    expect(object.spec).toEqual({
      selector: { matchLabels: { app: 'agent' } },
      template: defaultedTemplate,
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
    });
  });

  it('leaves OnDelete without rolling-update parameters', () => {
    expect((admit(daemonSet({ updateStrategy: { type: 'OnDelete' } })).object.spec as { updateStrategy: unknown }).updateStrategy).toEqual({ type: 'OnDelete' });
  });

  it('refuses a selector that does not select the template labels, and an empty one', () => {
    expect(causesOf(daemonSet({ selector: { matchLabels: { app: 'other' } } }))).toEqual([
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"agent"}: `selector` does not match template `labels`',
    ]);
    expect(causesOf(daemonSet({ selector: {} }))).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for daemonset',
    ]);
  });

  it('checks the template, its restart policy and deadline, and the rolling update', () => {
    const bad = daemonSet({
      template: template({ containers: [{ name: 'agent' }], restartPolicy: 'OnFailure', activeDeadlineSeconds: 5 }),
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '150%' } },
      minReadySeconds: -1,
    });
    expect(causesOf(bad)).toEqual([
      'spec.template.spec.containers[0].image: Required value',
      'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
      'spec.template.spec.activeDeadlineSeconds: Invalid value: 5: activeDeadlineSeconds in DaemonSet is not Supported',
      'spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0',
      'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 150%: must not be greater than 100%',
      'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 150%: may not be set when maxUnavailable is non-zero',
    ]);
    expect(causesOf(daemonSet({ updateStrategy: { rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } }))).toEqual([
      'spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0',
    ]);
    expect(causesOf(daemonSet({ updateStrategy: { rollingUpdate: { maxUnavailable: 0, maxSurge: '10%' } } }))).toEqual([]);
  });

  it('keeps the selector fixed on update', () => {
    const { causes } = admitUpdate(daemonSet(), (next) => {
      const spec = next.spec as { selector: object; template: { metadata: { labels: object } } };
      spec.selector = { matchLabels: { app: 'agent', tier: 'node' } };
      spec.template.metadata.labels = { app: 'agent', tier: 'node' };
    });
    expect(described(causes)).toEqual([expect.stringMatching(/^spec\.selector: Invalid value: v1\.LabelSelector\{.*\}: field is immutable$/)]);
  });
});

describe('StatefulSet', () => {
  it('defaults one ordered replica, a rolling update from partition 0, retained claims and its claim templates', () => {
    const { object, causes } = admit(statefulSet({ volumeClaimTemplates: [claimTemplate] }));
    expect(causes).toEqual([]);
    expect(object.spec).toEqual({
      selector: { matchLabels: { app: 'agent' } },
      serviceName: 'db',
      template: defaultedTemplate,
      replicas: 1,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      volumeClaimTemplates: [{ ...claimTemplate, spec: { ...claimTemplate.spec, volumeMode: 'Filesystem' }, status: { phase: 'Pending' } }],
    });
  });

  it('adds no rollingUpdate to a strategy whose type was given', () => {
    expect((admit(statefulSet({ updateStrategy: { type: 'RollingUpdate' } })).object.spec as { updateStrategy: unknown }).updateStrategy).toEqual({ type: 'RollingUpdate' });
    expect((admit(statefulSet({ updateStrategy: { type: 'OnDelete' } })).object.spec as { updateStrategy: unknown }).updateStrategy).toEqual({ type: 'OnDelete' });
  });

  it('lets containers mount the claim templates, and checks the rest of the template', () => {
    const mounting = template({ containers: [{ name: 'agent', image: 'nginx:1.27', volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'missing', mountPath: '/x' }] }] });
    expect(causesOf(statefulSet({ template: mounting, volumeClaimTemplates: [claimTemplate] }))).toEqual([
      'spec.template.spec.containers[0].volumeMounts[1].name: Not found: "missing"',
    ]);
  });

  it('checks selector, counts, strategy and retention policy', () => {
    const bad = statefulSet({
      selector: { matchLabels: { app: 'other' } },
      replicas: -1,
      ordinals: { start: -2 },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: -1, maxUnavailable: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Keep' },
    });
    expect(causesOf(bad)).toEqual([
      'spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0',
      'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: cannot be 0',
      'spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"',
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      'spec.ordinals.start: Invalid value: -2: must be greater than or equal to 0',
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"agent"}: `selector` does not match template `labels`',
    ]);
    expect(causesOf(statefulSet({ updateStrategy: { type: 'OnDelete', rollingUpdate: { partition: 1 } } }))).toEqual([
      'spec.updateStrategy.rollingUpdate: Invalid value: map[string]interface {}{"partition":1}: only allowed for updateStrategy \'RollingUpdate\'',
    ]);
    expect(causesOf(statefulSet({ template: template({ activeDeadlineSeconds: 30 }) }))).toEqual([
      'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported',
    ]);
  });

  it('lets an update change replicas and the template, not the service name', () => {
    expect(
      admitUpdate(statefulSet(), (next) => {
        const spec = next.spec as { replicas: number; template: { spec: { containers: Array<{ image: string }> } } };
        spec.replicas = 3;
        spec.template.spec.containers[0].image = 'nginx:1.28';
      }).causes,
    ).toEqual([]);
    const { causes } = admitUpdate(statefulSet(), (next) => {
      (next.spec as { serviceName: string }).serviceName = 'other';
    });
    expect(described(causes)).toEqual([
      "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ]);
  });
});

describe('ReplicationController', () => {
  it('defaults the selector and its labels from the template, one replica and the template', () => {
    const { object, causes } = admit(replicationController());
    expect(causes).toEqual([]);
    expect(object.metadata.labels).toEqual({ app: 'agent' });
    expect(object.spec).toEqual({ selector: { app: 'agent' }, replicas: 1, template: defaultedTemplate });
  });

  it('keeps its own selector and labels', () => {
    const { object } = admit(replicationController({ selector: { app: 'agent' }, replicas: 0 }, { labels: { team: 'a' } }));
    expect(object.metadata.labels).toEqual({ team: 'a' });
    expect(object.spec).toMatchObject({ selector: { app: 'agent' }, replicas: 0 });
  });

  it('refuses a selector that misses the template labels, a missing template, and pods that do not restart Always', () => {
    expect(causesOf(replicationController({ selector: { app: 'other' } }))).toEqual([
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"agent"}: `selector` does not match template `labels`',
    ]);
    expect(causesOf({ apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'empty' }, spec: {} })).toEqual(['spec.selector: Required value', 'spec.template: Required value']);
    expect(causesOf(replicationController({ template: template({ restartPolicy: 'Never', activeDeadlineSeconds: 9 }) }))).toEqual([
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
      'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicationController is not Supported',
    ]);
  });

  it('checks the counts a status write carries', () => {
    const { causes } = admitUpdate(
      replicationController(),
      (next) => {
        next.status = { replicas: 1, readyReplicas: 2 };
      },
      { subresource: 'status' },
    );
    expect(described(causes)).toEqual(['status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas']);
  });
});
