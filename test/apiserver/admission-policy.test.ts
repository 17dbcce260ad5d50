/**
 * PodDisruptionBudget, ResourceQuota, LimitRange and ServiceAccount admission, table by table: the
 * defaults a Kubernetes 1.32 server sets and the causes its validation gives.
 */
import type { Obj } from '../../src/api/object';
import { admit, admitUpdate, described } from './admission-support';

const causesOf = (obj: object): string[] => described(admit(obj).causes);

const budget = (spec: Record<string, unknown>): Obj => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec }) as Obj;
const quota = (spec: Record<string, unknown>): Obj => ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'compute' }, spec }) as Obj;
const limitRange = (...limits: Array<Record<string, unknown>>): Obj => ({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'limits' }, spec: { limits } }) as Obj;

describe('PodDisruptionBudget', () => {
  it('starts with zero counts in its status and keeps its spec as sent', () => {
    const { object, causes } = admit(budget({ minAvailable: 1, selector: { matchLabels: { app: 'web' } } }));
    expect(causes).toEqual([]);
    expect(object.spec).toEqual({ minAvailable: 1, selector: { matchLabels: { app: 'web' } } });
    expect(object.status).toEqual({ disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });
  });

  it('accepts counts and percentages up to 100%, and both eviction policies', () => {
    for (const spec of [{ minAvailable: 0 }, { minAvailable: '100%' }, { maxUnavailable: 3 }, { maxUnavailable: '0%', unhealthyPodEvictionPolicy: 'AlwaysAllow' }, { unhealthyPodEvictionPolicy: 'IfHealthyBudget' }]) {
      expect(causesOf(budget(spec))).toEqual([]);
    }
  });

  it('refuses minAvailable with maxUnavailable, at spec', () => {
    expect(causesOf(budget({ minAvailable: 1, maxUnavailable: 1 }))).toEqual([expect.stringMatching(/^spec: Invalid value: .*: minAvailable and maxUnavailable cannot be both set$/)]);
  });

  it('wants non-negative counts, percentages at most 100% and a known eviction policy', () => {
    expect(causesOf(budget({ minAvailable: -1 }))).toEqual(['spec.minAvailable: Invalid value: -1: must be greater than or equal to 0']);
    expect(causesOf(budget({ maxUnavailable: '150%' }))).toEqual(['spec.maxUnavailable: Invalid value: 150%: must not be greater than 100%']);
    expect(causesOf(budget({ minAvailable: 'half' }))).toEqual([expect.stringMatching(/^spec\.minAvailable: Invalid value: half: a valid percent string must be a numeric string followed by an ending '%'/)]);
    expect(causesOf(budget({ unhealthyPodEvictionPolicy: 'Never' }))).toEqual([
      'spec.unhealthyPodEvictionPolicy: Unsupported value: "Never": supported values: "AlwaysAllow", "IfHealthyBudget"',
    ]);
    expect(causesOf(budget({ selector: { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] } }))).toEqual([
      expect.stringMatching(/^spec\.selector\.matchExpressions\[0\]\.values: Required value/),
    ]);
  });

  it('lets the spec change, as policy/v1 does', () => {
    expect(admitUpdate(budget({ minAvailable: 1 }), (o) => ((o.spec as Record<string, unknown>).minAvailable = 2)).causes).toEqual([]);
  });

  it('wants non-negative counts in a status write', () => {
    const { causes } = admitUpdate(budget({ minAvailable: 1 }), (o) => (o.status = { disruptionsAllowed: 0, expectedPods: -2 }), { subresource: 'status' });
    expect(described(causes)).toEqual(['status.expectedPods: Invalid value: -2: must be greater than or equal to 0']);
  });
});

describe('ResourceQuota', () => {
  it('accepts standard resources, extended and object counts, and scopes', () => {
    expect(causesOf(quota({ hard: { pods: '10', 'requests.cpu': '2', 'limits.memory': '4Gi', 'count/deployments.apps': '5', 'requests.nvidia.com/gpu': 1 }, scopes: ['NotTerminating'] }))).toEqual([]);
    expect(causesOf(quota({ hard: { pods: '5' }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } }))).toEqual([]);
  });

  it('refuses unknown resources, negative amounts and fractional counts', () => {
    expect(causesOf(quota({ hard: { widgets: '3', 'requests.memory': '-1Gi', pods: '1.5' } }))).toEqual([
      'spec.hard[widgets]: Invalid value: "widgets": must be a standard resource for quota',
      'spec.hard[requests.memory]: Invalid value: "-1Gi": must be greater than or equal to 0',
      'spec.hard[pods]: Invalid value: "1.5": must be an integer',
    ]);
  });

  it('refuses unknown and conflicting scopes', () => {
    expect(causesOf(quota({ hard: { pods: '1' }, scopes: ['Sometimes'] }))).toEqual(['spec.scopes: Invalid value: []string{"Sometimes"}: unsupported scope']);
    expect(causesOf(quota({ hard: { pods: '1' }, scopes: ['BestEffort', 'NotBestEffort'] }))).toEqual(['spec.scopes: Invalid value: []string{"BestEffort", "NotBestEffort"}: conflicting scopes']);
  });

  it('checks the scope selector as upstream, at matchExpressions', () => {
    const selector = (...matchExpressions: object[]) => quota({ hard: { pods: '1' }, scopeSelector: { matchExpressions } });
    expect(causesOf(selector({ scopeName: 'BestEffort', operator: 'In', values: ['x'] }))).toEqual([
      expect.stringMatching(/^spec\.scopeSelector\.matchExpressions\.operator: Invalid value: "In": must be 'Exist' when scope is any of/),
    ]);
    expect(causesOf(selector({ scopeName: 'PriorityClass', operator: 'NotIn' }))).toEqual([
      "spec.scopeSelector.matchExpressions.values: Required value: must be at least one value when `operator` is 'In' or 'NotIn' for scope selector",
    ]);
    expect(causesOf(selector({ scopeName: 'PriorityClass', operator: 'Matches', values: ['x'] }))).toEqual(['spec.scopeSelector.matchExpressions.operator: Invalid value: "Matches": not a valid selector operator']);
  });
});

describe('LimitRange', () => {
  it('defaults a container item: limit from max, request from the limit, else from min', () => {
    const { object, causes } = admit(limitRange({ type: 'Container', max: { cpu: '2', memory: '1Gi' }, min: { cpu: '100m', 'ephemeral-storage': '1Gi' }, default: { memory: '512Mi' } }, { type: 'Pod', max: { cpu: '4' } }));
    expect(causes).toEqual([]);
    expect((object.spec as { limits: unknown[] }).limits).toEqual([
      {
        type: 'Container',
        max: { cpu: '2', memory: '1Gi' },
        min: { cpu: '100m', 'ephemeral-storage': '1Gi' },
        default: { cpu: '2', memory: '512Mi' },
        defaultRequest: { cpu: '2', memory: '512Mi', 'ephemeral-storage': '1Gi' },
      },
      { type: 'Pod', max: { cpu: '4' } },
    ]);
  });

  it('refuses unknown and repeated types, and defaults on a Pod item', () => {
    expect(causesOf(limitRange({ type: 'Node' }, { type: 'Pod', default: { cpu: '1' } }, { type: 'Pod' }))).toEqual([
      'spec.limits[0].type: Unsupported value: "Node": supported values: "Pod", "Container", "PersistentVolumeClaim"',
      "spec.limits[1].default: Forbidden: may not be specified when `type` is 'Pod'",
      'spec.limits[2].type: Duplicate value: "Pod"',
    ]);
  });

  it('wants min ≤ default request ≤ default ≤ max and a ratio of at least 1', () => {
    expect(causesOf(limitRange({ type: 'PersistentVolumeClaim', min: { storage: '10Gi' }, max: { storage: '1Gi' } }))).toEqual([
      'spec.limits[0].min[storage]: Invalid value: "10Gi": min value 10Gi is greater than max value 1Gi',
    ]);
    expect(causesOf(limitRange({ type: 'Container', default: { cpu: '500m' }, defaultRequest: { cpu: '1' }, maxLimitRequestRatio: { cpu: '0.5' } }))).toEqual([
      'spec.limits[0].defaultRequest[cpu]: Invalid value: "1": default request value 1 is greater than default limit value 500m',
      'spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: "0.5": ratio 0.5 is less than 1',
    ]);
  });
});

describe('ServiceAccount', () => {
  it('stores secrets, pull secrets and the automount choice as sent', () => {
    const account = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder' }, secrets: [{ name: 'builder-token' }], imagePullSecrets: [{ name: 'registry' }], automountServiceAccountToken: false };
    const { object, causes } = admit(account);
    expect(causes).toEqual([]);
    expect(object).toMatchObject({ secrets: [{ name: 'builder-token' }], imagePullSecrets: [{ name: 'registry' }], automountServiceAccountToken: false });
  });

  it('wants a DNS subdomain name', () => {
    expect(causesOf({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'Builder_1' } })).toEqual([expect.stringMatching(/^metadata\.name: Invalid value: "Builder_1": a lowercase RFC 1123 subdomain/)]);
  });
});
