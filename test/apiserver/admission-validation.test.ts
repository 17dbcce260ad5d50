/**
 * Per-kind validation with upstream's paths and messages: every bad field of an object is
 * reported at once, and on update only what may change can change.
 */
import type { Obj } from '../../src/api/object';
import { admit, admitUpdate, deployment, described, pod } from './admission-support';

const container = (extra: object = {}): object => ({ name: 'web', image: 'nginx', ...extra });
const causesOf = (obj: object): string[] => described(admit(obj).causes);

describe('object metadata', () => {
  it.each<[string, object, string[]]>([
    ['a name that is no DNS subdomain', { name: 'Web_1' }, [
      'metadata.name: Invalid value: "Web_1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')',
    ]],
    ['a bad label key and value', { name: 'web', labels: { 'a/b/c': 'x', ok: '-bad-' } }, [
      expect.stringMatching(/^metadata\.labels: Invalid value: "a\/b\/c": .* with an optional DNS subdomain prefix and '\/' \(e\.g\. 'example\.com\/MyName'\)$/),
      expect.stringContaining('metadata.labels: Invalid value: "-bad-": a valid label must be an empty string'),
    ] as unknown as string[]],
    ['an incomplete owner reference', { name: 'web', ownerReferences: [{ apiVersion: 'apps/v1', kind: '', name: 'rs', uid: 'u1' }] }, [
      'metadata.ownerReferences.kind: Invalid value: "": kind must not be empty',
    ]],
    ['two controllers', { name: 'web', ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: 'u1', controller: true },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'b', uid: 'u2', controller: true },
    ] }, [expect.stringMatching(/^metadata\.ownerReferences: Invalid value: .*Only one reference can have Controller set to true\. Found "true" in references for ReplicaSet\/a and ReplicaSet\/b$/)] as unknown as string[]],
    ['a finalizer that is no qualified name', { name: 'web', finalizers: ['example.com/ok', 'not ok'] }, [
      expect.stringContaining('metadata.finalizers: Invalid value: "not ok": name part must consist of alphanumeric characters'),
    ] as unknown as string[]],
    ['orphan with foregroundDeletion', { name: 'web', finalizers: ['orphan', 'foregroundDeletion'] }, [
      'metadata.finalizers: Invalid value: []string{"orphan", "foregroundDeletion"}: finalizer orphan and foregroundDeletion cannot be both set',
    ]],
  ])('rejects %s', (_what, metadata, expected) => {
    expect(causesOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata })).toEqual(expected);
  });

  it('drops an owner reference repeated with the same uid, as upstream does', () => {
    const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: 'u1' };
    const { object, causes } = admit({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', ownerReferences: [owner, owner] } });
    expect(causes).toEqual([]);
    expect(object.metadata.ownerReferences).toEqual([owner]);
  });

  it('keeps name, uid and creation time fixed on update, and adds no finalizer to an object being deleted', () => {
    const old = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', deletionTimestamp: '2025-01-02T00:00:00Z', finalizers: ['a.example.com/x'] } };
    const { causes } = admitUpdate(old, (next) => {
      next.metadata.uid = 'other';
      next.metadata.finalizers = ['a.example.com/x', 'b.example.com/y'];
    });
    expect(described(causes)).toEqual([
      'metadata.uid: Invalid value: "other": field is immutable',
      'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b.example.com/y"}',
    ]);
  });
});

describe('Pod validation', () => {
  it('reports every bad field of a pod at once', () => {
    const causes = causesOf(
      pod({
        containers: [
          container({
            ports: [{ containerPort: 70000, name: 'HTTP' }, { containerPort: 81, name: 'metrics', hostPort: 0 }, { containerPort: 82, name: 'metrics' }],
            env: [{ name: 'A=B', value: 'x' }, { name: 'REF', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
            volumeMounts: [{ name: 'missing', mountPath: '/data' }, { name: 'cache', mountPath: '/data' }],
            livenessProbe: { exec: { command: ['true'] }, httpGet: { port: 80 }, successThreshold: 2 },
            readinessProbe: { periodSeconds: -1 },
            resources: { limits: { cpu: '500m', memory: '64Mi' }, requests: { cpu: '1' }, },
          }),
          { name: 'web', image: '' },
        ],
        volumes: [{ name: 'cache', emptyDir: {} }, { name: 'cache', emptyDir: {}, hostPath: { path: '/x' } }],
        activeDeadlineSeconds: 0,
      }),
    );
    expect(causes).toEqual([
      'spec.volumes[1].name: Duplicate value: "cache"',
      'spec.volumes[1].hostPath: Forbidden: may not specify more than 1 volume type',
      'spec.containers[0].ports[0].name: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'spec.containers[0].ports[0].name: Invalid value: "HTTP": must contain at least one letter (a-z)',
      'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.containers[0].ports[2].name: Duplicate value: "metrics"',
      'spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than \'=\'',
      'spec.containers[0].env[1].valueFrom: Invalid value: "": may not be specified when `value` is not empty',
      'spec.containers[0].volumeMounts[0].name: Not found: "missing"',
      'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/data": must be unique',
      'spec.containers[0].livenessProbe.httpGet: Forbidden: may not specify more than 1 handler type',
      'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
      'spec.containers[0].readinessProbe: Required value: must specify a handler type',
      'spec.containers[0].readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0',
      'spec.containers[0].resources.requests[cpu]: Invalid value: "1": must be less than or equal to cpu limit of 500m',
      'spec.containers[1].name: Duplicate value: "web"',
      'spec.containers[1].image: Required value',
      'spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive',
    ]);
  });

  it('requires containers and rejects unknown resource names and bad tolerations', () => {
    expect(causesOf(pod({ containers: [] }))).toEqual(['spec.containers: Required value']);
    expect(causesOf(pod({ containers: [container({ resources: { limits: { gpu: '1' } } })], tolerations: [{ operator: 'Equal', value: 'x' }] }))).toEqual([
      'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers',
      // A Pod requests what it limits, so the request is reported too, as upstream does.
      'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers',
      'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
    ]);
  });

  it('allows image, deadline and added tolerations to change, nothing else', () => {
    const original = pod({ containers: [container({ ports: [{ containerPort: 80 }] })], activeDeadlineSeconds: 60 });
    const allowed = admitUpdate(original, (next) => {
      const spec = next.spec as { containers: { image: string }[]; activeDeadlineSeconds: number; tolerations: object[] };
      spec.containers[0].image = 'nginx:1.27';
      spec.activeDeadlineSeconds = 30;
      spec.tolerations.push({ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' });
    });
    expect(allowed.causes).toEqual([]);
    const refused = admitUpdate(original, (next) => {
      const spec = next.spec as { containers: { ports: { containerPort: number }[] }[]; activeDeadlineSeconds: number; nodeName: string };
      spec.containers[0].ports[0].containerPort = 8080;
      spec.activeDeadlineSeconds = 120;
      spec.nodeName = 'n1';
    });
    expect(described(refused.causes)).toEqual([
      'spec.activeDeadlineSeconds: Invalid value: 120: must be less than or equal to previous value',
      expect.stringContaining(
        'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n  changed: spec.containers[0].ports[0].containerPort, spec.nodeName',
      ),
    ]);
  });

  it('sets the node only through the binding subresource', () => {
    const bind = (next: Obj): void => {
      (next.spec as { nodeName: string }).nodeName = 'n1';
    };
    const original = pod({ containers: [container()] });
    expect(admitUpdate(original, bind, { subresource: 'binding' }).causes).toEqual([]);
    expect(described(admitUpdate(original, bind).causes)).toEqual([expect.stringContaining('changed: spec.nodeName')]);
  });

  it('keeps existing tolerations (except their seconds)', () => {
    const original = pod({ containers: [container()], tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }] });
    const longer = admitUpdate(original, (next) => {
      (next.spec as { tolerations: { tolerationSeconds: number }[] }).tolerations[0].tolerationSeconds = 20;
    });
    expect(longer.causes).toEqual([]);
    const removed = admitUpdate(original, (next) => {
      (next.spec as { tolerations: object[] }).tolerations.shift();
    });
    expect(described(removed.causes)).toEqual(['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds']);
  });
});

describe('Deployment and ReplicaSet validation', () => {
  it('requires a selector that selects the template labels', () => {
    expect(causesOf(deployment({ selector: { matchLabels: { app: 'other' } } }))).toEqual([
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ]);
    expect(causesOf(deployment({ selector: {} }))).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    ]);
    expect(causesOf(deployment({ selector: { matchExpressions: [{ key: 'app', operator: 'In' }] } }))).toEqual([
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    ]);
  });

  it('checks replicas, the rolling update bounds and the template restart policy', () => {
    const template = { metadata: { labels: { app: 'web' } }, spec: { restartPolicy: 'Never', containers: [container()] } };
    expect(causesOf(deployment({ replicas: -1, strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } }, template, progressDeadlineSeconds: 5, minReadySeconds: 10 }))).toEqual([
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0',
      'spec.progressDeadlineSeconds: Invalid value: 5: must be greater than minReadySeconds',
    ]);
    expect(causesOf(deployment({ strategy: { rollingUpdate: { maxSurge: 'half', maxUnavailable: '150%' } } }))).toEqual([
      "spec.strategy.rollingUpdate.maxSurge: Invalid value: half: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 150%: must not be greater than 100%',
    ]);
    expect(causesOf(deployment({ strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } }))).toEqual([
      "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
    ]);
  });

  it('keeps the selector fixed on update', () => {
    const { causes } = admitUpdate(deployment(), (next) => {
      const spec = next.spec as { selector: object; template: { metadata: { labels: object } } };
      spec.selector = { matchLabels: { app: 'web', tier: 'front' } };
      spec.template.metadata.labels = { app: 'web', tier: 'front' };
    });
    expect(described(causes)).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "tier":"front"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]);
  });

  it('checks the counts a status write carries', () => {
    const { causes } = admitUpdate(
      deployment(),
      (next) => {
        next.status = { replicas: 2, readyReplicas: 3, availableReplicas: 3, updatedReplicas: -1 };
      },
      { subresource: 'status' },
    );
    expect(described(causes)).toEqual([
      'status.updatedReplicas: Invalid value: -1: must be greater than or equal to 0',
      'status.readyReplicas: Invalid value: 3: cannot be greater than status.replicas',
      'status.availableReplicas: Invalid value: 3: cannot be greater than status.replicas',
    ]);
  });

  it('validates a ReplicaSet template as a Deployment one', () => {
    const replicaSet = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web' }] } } } };
    expect(causesOf(replicaSet)).toEqual(['spec.template.spec.containers[0].image: Required value']);
  });
});

describe('Job and CronJob validation', () => {
  const job = (spec: object = {}): object => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [container()] } }, ...spec },
  });
  const cronJob = (spec: object): object => ({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'tick' },
    spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [container()] } } } }, ...spec },
  });

  it('wants pods that restart OnFailure or Never, and non-negative counts', () => {
    expect(causesOf(job({ parallelism: -1, template: { spec: { containers: [container()] } } }))).toEqual([
      'spec.parallelism: Invalid value: -1: must be greater than or equal to 0',
      'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
    ]);
  });

  it('checks a manual selector against the template', () => {
    expect(causesOf(job({ manualSelector: true, selector: { matchLabels: { app: 'pi' } } }))).toEqual([
      'spec.template.metadata.labels: Invalid value: map[string]string{}: `selector` does not match template `labels`',
    ]);
  });

  it('refuses a generated label the user set to something else', () => {
    const causes = causesOf(job({ template: { metadata: { labels: { 'controller-uid': 'mine' } }, spec: { restartPolicy: 'Never', containers: [container()] } } }));
    expect(causes).toEqual([expect.stringMatching(/^spec\.template\.metadata\.labels\[controller-uid\]: Invalid value: map\[string\]string\{.*\}: must be '6f1c2b9e-0000-4000-8000-000000000001'$/)]);
  });

  it('keeps the template and completions of a job fixed, but lets a suspended job that never ran move its pods', () => {
    const changed = admitUpdate(job(), (next) => {
      const spec = next.spec as { completions: number; template: { spec: { containers: { image: string }[] } } };
      spec.completions = 2;
      spec.template.spec.containers[0].image = 'nginx:2';
    });
    expect(changed.causes.map((c) => [c.field, c.message.endsWith('field is immutable')])).toEqual([
      ['spec.completions', true],
      ['spec.template', true],
    ]);
    const moved = admitUpdate(job({ suspend: true }), (next) => {
      (next.spec as { template: { spec: { nodeSelector: object } } }).template.spec.nodeSelector = { zone: 'a' };
    });
    expect(moved.causes).toEqual([]);
  });

  it.each<[string, object, string[]]>([
    ['a schedule with too few fields', { schedule: '* *' }, ['spec.schedule: Invalid value: "* *": expected exactly 5 fields, found 2: [* *]']],
    ['a minute out of range', { schedule: '61 * * * *' }, ['spec.schedule: Invalid value: "61 * * * *": Constraint error, got value 61 expected range 0-59']],
    ['a letter where a number belongs', { schedule: 'H * * * *' }, ['spec.schedule: Invalid value: "H * * * *": failed to parse int from H: strconv.Atoi: parsing "H": invalid syntax']],
    ['a TZ in the schedule', { schedule: 'TZ=UTC 0 * * * *' }, ['spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead']],
    ['an unknown time zone', { timeZone: 'Mars/Olympus' }, ['spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus']],
    ['a local time zone', { timeZone: 'Local' }, ['spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones']],
    ['a selector in the job template', { jobTemplate: { spec: { selector: { matchLabels: { a: 'b' } }, template: { spec: { restartPolicy: 'Never', containers: [container()] } } } } }, [
      'spec.jobTemplate.spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"a":"b"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` will be auto-generated',
    ]],
  ])('rejects a CronJob with %s', (_what, spec, expected) => {
    expect(causesOf(cronJob(spec))).toEqual(expected);
  });

  it.each(['@hourly', '@every 1h30m', '0 0 * * MON-FRI', '*/15 9-17 * JAN,JUL ?'])('accepts the schedule %j', (schedule) => {
    expect(causesOf(cronJob({ schedule, timeZone: 'Europe/Paris' }))).toEqual([]);
  });

  it('limits CronJob names to 52 characters on create', () => {
    expect(causesOf({ ...cronJob({}), metadata: { name: 'x'.repeat(53) } })).toEqual([`metadata.name: Invalid value: "${'x'.repeat(53)}": must be no more than 52 characters`]);
  });
});

describe('Service and Endpoints validation', () => {
  const service = (spec: object, name = 'web'): object => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec });

  it('reports every bad port at once', () => {
    expect(
      causesOf(service({ type: 'ClusterIP', ports: [{ port: 0, name: 'Web' }, { port: 81, targetPort: 'way-too-long-port-name', nodePort: 30001 }] })),
    ).toEqual([
      'spec.ports[0].name: Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character (e.g. \'my-name\',  or \'123-abc\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?\')',
      'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      // The target port defaults to the port.
      'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ports[1].name: Required value',
      'spec.ports[1].targetPort: Invalid value: "way-too-long-port-name": must be no more than 15 characters',
      "spec.ports[1].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
    ]);
  });

  it('wants ports unless headless or ExternalName, node ports in range, and an external name', () => {
    expect(causesOf(service({}))).toEqual(['spec.ports: Required value']);
    expect(causesOf(service({ clusterIP: 'None' }))).toEqual([]);
    expect(causesOf(service({ type: 'NodePort', ports: [{ port: 80, nodePort: 8080 }, { port: 81, name: 'b', nodePort: 8080 }].map((p, i) => ({ ...p, name: `p${i}` })) }))).toEqual([
      'spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
      'spec.ports[1].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
      'spec.ports[1].nodePort: Duplicate value: 8080',
    ]);
    expect(causesOf(service({ type: 'ExternalName' }))).toEqual(['spec.externalName: Required value']);
  });

  it('keeps a cluster IP once set', () => {
    const { causes } = admitUpdate(service({ clusterIP: '10.96.0.10', ports: [{ port: 80 }] }), (next) => {
      (next.spec as { clusterIP: string; clusterIPs: string[] }).clusterIP = '10.96.0.11';
      (next.spec as { clusterIPs: string[] }).clusterIPs = ['10.96.0.11'];
    });
    expect(described(causes)).toEqual(['spec.clusterIPs[0]: Invalid value: "10.96.0.11": may not change once set']);
  });

  it('checks endpoint addresses and ports', () => {
    const endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web' }, subsets: [{ addresses: [{ ip: 'ten' }], ports: [{ port: 80 }, { port: 81 }] }, { ports: [{ port: 80 }] }] };
    expect(causesOf(endpoints)).toEqual([
      'subsets[0].addresses[0].ip: Invalid value: "ten": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      'subsets[0].ports[0].name: Required value',
      'subsets[0].ports[1].name: Required value',
      'subsets[1]: Required value: must specify `addresses` or `notReadyAddresses`',
    ]);
  });
});

describe('ConfigMap and Secret validation', () => {
  it('checks key names and sizes', () => {
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'a b': 'x', '..x': 'y', big: 'z'.repeat(1024 * 1024) } };
    expect(causesOf(configMap)).toEqual([
      "data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
      "data[..x]: Invalid value: \"..x\": must not start with '..'",
      ': Too long: must have at most 1048576 bytes',
    ]);
  });

  it('wants the keys of typed secrets and keeps immutable data', () => {
    expect(causesOf({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==' } })).toEqual(['data[tls.key]: Required value']);
    const { causes } = admitUpdate({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, immutable: true, data: { a: 'eA==' } }, (next) => {
      next.data = { a: 'eQ==' };
      next.type = 'kubernetes.io/basic-auth';
    });
    expect(described(causes)).toEqual([
      'data[username]: Required value',
      'data[password]: Required value',
      'type: Invalid value: "kubernetes.io/basic-auth": field is immutable',
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
  });
});

describe('other kinds', () => {
  it('checks namespace finalizers, node taints, leases and events', () => {
    expect(causesOf({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' }, spec: { finalizers: ['custom'] } })).toEqual([
      'spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
    ]);
    const taint = { key: 'dedicated', value: 'db', effect: 'NoSchedule' };
    expect(causesOf({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: { taints: [taint, taint] } })).toEqual([
      'spec.taints[1]: Duplicate value: map[string]string{"effect":"NoSchedule", "key":"dedicated", "value":"db"}: taints must be unique by key and effect pair',
    ]);
    expect(causesOf({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l' }, spec: { leaseDurationSeconds: 0 } })).toEqual([
      'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
    ]);
    expect(causesOf({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'e', namespace: 'default' }, involvedObject: { kind: 'Pod', name: 'p', namespace: 'shop' } })).toEqual([
      'involvedObject.namespace: Invalid value: "shop": does not match event.namespace',
    ]);
    expect(causesOf({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'e' } })).toEqual(['involvedObject: Required value']);
  });

  it('validates CustomResourceDefinitions', () => {
    const definition = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', kind: 'Widget' }, versions: [{ name: 'v1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object' } } }] },
    };
    expect(causesOf(definition)).toEqual(['spec.versions: Invalid value: ["v1"]: must have exactly one version marked as storage version']);
  });
});

describe('ratcheting', () => {
  it('does not hold against an update a problem the stored object already had', () => {
    // A Deployment stored before a rule existed: its labels no longer pass.
    const stored = deployment();
    const old = admit(stored).object;
    (old.metadata as { labels: object }).labels = { 'bad key!': 'x' };
    const next = JSON.parse(JSON.stringify(old)) as Obj;
    next.metadata.annotations = { note: 'touched' };
    expect(admit(next, { operation: 'UPDATE', old }).causes).toEqual([]);
    next.metadata.labels = { 'bad key!': 'x', 'worse key!': 'y' };
    expect(described(admit(next, { operation: 'UPDATE', old }).causes)).toEqual([expect.stringContaining('metadata.labels: Invalid value: "worse key!"')]);
  });
});
