/**
 * Defaults as a Kubernetes 1.32 server sets them (pkg/apis/{core,apps,batch}/v1/defaults.go, the
 * job strategy, the DefaultTolerationSeconds and Priority admission plugins), table by table.
 */
import { CONTROLLER_UID_LABEL, JOB_NAME_LABEL } from '../../src/apiserver/admission/defaults-batch';
import { defaultPullPolicy } from '../../src/apiserver/admission/defaults-pod';
import type { Obj } from '../../src/api/object';
import { admit, admitUpdate, deployment, pod } from './admission-support';

const uid = '6f1c2b9e-0000-4000-8000-000000000001';

/** What a real 1.32 cluster stores for a bare template's pod spec with one `nginx` container. */
const defaultedTemplateSpec = {
  containers: [
    {
      name: 'web',
      image: 'nginx',
      imagePullPolicy: 'Always',
      resources: {},
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    },
  ],
  dnsPolicy: 'ClusterFirst',
  restartPolicy: 'Always',
  schedulerName: 'default-scheduler',
  securityContext: {},
  terminationGracePeriodSeconds: 30,
};

describe('Deployment defaults', () => {
  it('fills a bare Deployment as a Kubernetes server does', () => {
    const { object, causes } = admit(deployment());
    expect(causes).toEqual([]);
    expect(object.spec).toEqual({
      replicas: 1,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: { metadata: { labels: { app: 'web' } }, spec: defaultedTemplateSpec },
    });
  });

  it('leaves a Recreate strategy without rolling-update parameters', () => {
    const { object } = admit(deployment({ strategy: { type: 'Recreate' } }));
    expect((object.spec as { strategy: unknown }).strategy).toEqual({ type: 'Recreate' });
  });

  it('keeps what the manifest sets', () => {
    const { object } = admit(deployment({ replicas: 0, revisionHistoryLimit: 2, strategy: { rollingUpdate: { maxSurge: 1 } } }));
    const spec = object.spec as Record<string, unknown>;
    expect(spec.replicas).toBe(0);
    expect(spec.revisionHistoryLimit).toBe(2);
    expect(spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } });
  });

  it('defaults the template of a ReplicaSet exactly as the Deployment it came from', () => {
    const fromDeployment = admit(deployment()).object.spec as { template: unknown; selector: unknown };
    const replicaSet = admit({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-1' }, spec: { selector: fromDeployment.selector, template: fromDeployment.template } });
    expect(replicaSet.causes).toEqual([]);
    expect((replicaSet.object.spec as { template: unknown }).template).toEqual(fromDeployment.template);
    expect((replicaSet.object.spec as { replicas: number }).replicas).toBe(1);
  });

  it('gives back on update the defaults a PUT left out', () => {
    const { object, causes } = admitUpdate(deployment(), (next) => {
      next.spec = deployment().spec;
    });
    expect(causes).toEqual([]);
    expect(object.spec).toEqual(admit(deployment()).object.spec);
  });
});

describe('Pod defaults', () => {
  const bare = pod({ containers: [{ name: 'web', image: 'nginx' }] });

  it('fills a bare Pod with the spec defaults, service links, priority and the not-ready/unreachable tolerations', () => {
    const { object, causes } = admit(bare);
    expect(causes).toEqual([]);
    expect(object.spec).toEqual({
      ...defaultedTemplateSpec,
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
      priority: 0,
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
    });
    expect(object.status).toEqual({ phase: 'Pending' });
  });

  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.27', 'IfNotPresent'],
    ['registry.local:5000/team/app', 'Always'],
    ['registry.local:5000/team/app:v2', 'IfNotPresent'],
    ['busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'IfNotPresent'],
    ['', 'IfNotPresent'],
  ])('pulls %j with policy %s', (image, policy) => {
    expect(defaultPullPolicy(image)).toBe(policy);
  });

  it('defaults ports, probes, lifecycle hooks, env sources and volumes', () => {
    const { object } = admit(
      pod({
        containers: [
          {
            name: 'web',
            image: 'nginx:1.27',
            ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }],
            livenessProbe: { httpGet: { port: 80 } },
            readinessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 5 },
            lifecycle: { preStop: { httpGet: { port: 80, path: '/quit' } } },
            env: [
              { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
              { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
            ],
            resources: { limits: { cpu: '500m', memory: '64Mi' }, requests: { cpu: '100m' } },
            volumeMounts: [{ name: 'scratch', mountPath: '/tmp' }],
          },
        ],
        volumes: [{ name: 'scratch' }, { name: 'config', configMap: { name: 'web' } }, { name: 'host', hostPath: { path: '/var/log' } }],
      }),
    );
    const spec = object.spec as { containers: Record<string, unknown>[]; volumes: unknown };
    const container = spec.containers[0];
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    expect(container.ports).toEqual([
      { containerPort: 80, protocol: 'TCP' },
      { containerPort: 53, protocol: 'UDP' },
    ]);
    expect(container.livenessProbe).toEqual({ httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    expect(container.readinessProbe).toEqual({ tcpSocket: { port: 'http' }, timeoutSeconds: 1, periodSeconds: 5, successThreshold: 1, failureThreshold: 3 });
    expect(container.lifecycle).toEqual({ preStop: { httpGet: { port: 80, path: '/quit', scheme: 'HTTP' } } });
    expect(container.env).toEqual([
      { name: 'NODE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
      { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '0' } } },
    ]);
    // A Pod (not a template) requests what it limits unless it says otherwise.
    expect(container.resources).toEqual({ limits: { cpu: '500m', memory: '64Mi' }, requests: { cpu: '100m', memory: '64Mi' } });
    expect(spec.volumes).toEqual([
      { name: 'scratch', emptyDir: {} },
      { name: 'config', configMap: { name: 'web', defaultMode: 420 } },
      { name: 'host', hostPath: { path: '/var/log', type: '' } },
    ]);
  });

  it('does not copy limits into requests in templates', () => {
    const { object } = admit(deployment({ template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', resources: { limits: { cpu: '1' } } }] } } }));
    const template = (object.spec as { template: { spec: { containers: { resources: unknown }[] } } }).template;
    expect(template.spec.containers[0].resources).toEqual({ limits: { cpu: '1' } });
  });

  it('uses the container port as host port under hostNetwork', () => {
    const { object } = admit(pod({ hostNetwork: true, containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 8080 }] }] }));
    expect((object.spec as { containers: { ports: unknown }[] }).containers[0].ports).toEqual([{ containerPort: 8080, hostPort: 8080, protocol: 'TCP' }]);
  });

  it('adds no toleration a pod already has, and none for a pod that tolerates everything', () => {
    const own = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 };
    const mine = admit(pod({ containers: [{ name: 'web', image: 'nginx' }], tolerations: [own] })).object.spec as { tolerations: unknown[] };
    expect(mine.tolerations).toEqual([own, { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }]);
    const all = admit(pod({ containers: [{ name: 'web', image: 'nginx' }], tolerations: [{ operator: 'Exists' }] })).object.spec as { tolerations: unknown[] };
    expect(all.tolerations).toEqual([{ operator: 'Exists' }]);
  });

  it('gives the system priority classes their values', () => {
    const { object } = admit(pod({ containers: [{ name: 'web', image: 'nginx' }], priorityClassName: 'system-node-critical' }));
    expect((object.spec as { priority: number }).priority).toBe(2000001000);
  });

  it('keeps the defaults of a pod updated by a PUT of its manifest', () => {
    const { object, causes } = admitUpdate(bare, (next) => {
      next.spec = bare.spec;
      next.metadata.labels = { tier: 'front' };
    });
    expect(causes).toEqual([]);
    expect(object.spec).toEqual(admit(bare).object.spec);
  });
});

describe('Job and CronJob defaults', () => {
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34' }] } } },
  };

  it('fills a bare Job and generates its selector and pod labels as the job strategy does', () => {
    const { object, causes } = admit(job);
    expect(causes).toEqual([]);
    const labels = { [CONTROLLER_UID_LABEL]: uid, [JOB_NAME_LABEL]: 'pi', 'controller-uid': uid, 'job-name': 'pi' };
    expect(object.spec).toEqual({
      parallelism: 1,
      completions: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      suspend: false,
      manualSelector: false,
      podReplacementPolicy: 'TerminatingOrFailed',
      selector: { matchLabels: { [CONTROLLER_UID_LABEL]: uid } },
      template: {
        metadata: { labels },
        spec: { ...defaultedTemplateSpec, restartPolicy: 'Never', containers: [{ ...defaultedTemplateSpec.containers[0], name: 'pi', image: 'perl:5.34', imagePullPolicy: 'IfNotPresent' }] },
      },
    });
    expect(object.metadata.labels).toBeUndefined();
  });

  it('leaves completions unset when only parallelism is given, and copies template labels to the job', () => {
    const { object } = admit({ ...job, spec: { ...job.spec, parallelism: 3, template: { ...job.spec.template, metadata: { labels: { app: 'pi' } } } } });
    const spec = object.spec as Record<string, unknown>;
    expect(spec.completions).toBeUndefined();
    expect(spec.parallelism).toBe(3);
    expect(object.metadata.labels).toEqual({ app: 'pi' });
  });

  it('replaces failed pods only once they failed when a pod failure policy is set', () => {
    const policy = { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] };
    const { object } = admit({ ...job, spec: { ...job.spec, podFailurePolicy: policy } });
    const spec = object.spec as { podReplacementPolicy: string; podFailurePolicy: unknown };
    expect(spec.podReplacementPolicy).toBe('Failed');
    expect(spec.podFailurePolicy).toEqual({ rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] });
  });

  it('names a job from generateName before labelling its pods with the name', () => {
    const { object } = admit({ ...job, metadata: { generateName: 'pi-' } });
    expect(object.metadata.name).toMatch(/^pi-[a-z0-9]{5}$/);
    expect((object.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels[JOB_NAME_LABEL]).toBe(object.metadata.name);
  });

  it('fills a bare CronJob and the pod template of its jobs', () => {
    const { object, causes } = admit({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'tick' }, spec: { schedule: '*/5 * * * *', jobTemplate: { spec: job.spec } } });
    expect(causes).toEqual([]);
    const spec = object.spec as Record<string, unknown> & { jobTemplate: { spec: Record<string, unknown> } };
    expect([spec.concurrencyPolicy, spec.suspend, spec.successfulJobsHistoryLimit, spec.failedJobsHistoryLimit]).toEqual(['Allow', false, 3, 1]);
    // Only a Job gets the Job defaults; its template in a CronJob keeps to the pod defaults.
    expect(spec.jobTemplate.spec.backoffLimit).toBeUndefined();
    expect((spec.jobTemplate.spec.template as { spec: unknown }).spec).toEqual({ ...defaultedTemplateSpec, restartPolicy: 'Never', containers: [expect.objectContaining({ imagePullPolicy: 'IfNotPresent' })] });
  });
});

describe('Service defaults', () => {
  const service = (spec: object): Obj => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec }) as Obj;

  it('fills a bare ClusterIP service', () => {
    const { object, causes } = admit(service({ selector: { app: 'web' }, ports: [{ port: 80 }] }));
    expect(causes).toEqual([]);
    expect(object.spec).toEqual({
      selector: { app: 'web' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
    });
  });

  it('fills NodePort, ClientIP affinity and headless services as upstream does', () => {
    const nodePort = admit(service({ type: 'NodePort', sessionAffinity: 'ClientIP', ports: [{ port: 80, targetPort: 'http' }] })).object.spec as Record<string, unknown>;
    expect(nodePort.externalTrafficPolicy).toBe('Cluster');
    expect(nodePort.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
    expect(nodePort.ports).toEqual([{ port: 80, protocol: 'TCP', targetPort: 'http' }]);
    const headless = admit(service({ clusterIP: 'None' })).object.spec as Record<string, unknown>;
    expect([headless.clusterIPs, headless.ipFamilyPolicy, headless.ipFamilies]).toEqual([['None'], 'RequireDualStack', ['IPv4']]);
    const external = admit(service({ type: 'ExternalName', externalName: 'db.example.com' })).object.spec as Record<string, unknown>;
    expect(external).toEqual({ type: 'ExternalName', externalName: 'db.example.com', sessionAffinity: 'None' });
  });

  it('keeps the cluster IP and node ports a PUT leaves out', () => {
    const stored = service({ type: 'NodePort', clusterIP: '10.96.0.10', ports: [{ port: 80, nodePort: 30080 }] });
    const { object, causes } = admitUpdate(stored, (next) => {
      next.spec = { type: 'NodePort', ports: [{ port: 80 }] };
    });
    expect(causes).toEqual([]);
    const spec = object.spec as Record<string, unknown>;
    expect([spec.clusterIP, spec.clusterIPs, spec.ports]).toEqual(['10.96.0.10', ['10.96.0.10'], [{ port: 80, nodePort: 30080, protocol: 'TCP', targetPort: 80 }]]);
  });
});

describe('other core defaults', () => {
  it('types a Secret Opaque and folds stringData into data', () => {
    const { object } = admit({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'eA==' }, stringData: { a: 'yes', b: 'no' } });
    expect(object).toMatchObject({ type: 'Opaque', data: { a: 'eWVz', b: 'bm8=' } });
    expect(object.stringData).toBeUndefined();
  });

  it('gives Endpoints ports TCP, Nodes allocatable from capacity, Namespaces their name label', () => {
    const endpoints = admit({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web' }, subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }] }).object;
    expect(endpoints.subsets).toEqual([{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80, protocol: 'TCP' }] }]);
    const node = admit({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { capacity: { cpu: '4', memory: '8Gi' } } }).object;
    expect((node.status as { allocatable: unknown }).allocatable).toEqual({ cpu: '4', memory: '8Gi' });
    const namespace = admit({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }).object;
    expect(namespace.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'shop' });
    expect(namespace.spec).toEqual({ finalizers: ['kubernetes'] });
  });

  it('drops nulls from optional fields before defaulting, as a decoder would', () => {
    const { object, causes } = admit(deployment({ replicas: null, template: { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', resources: null }] } } }));
    expect(causes).toEqual([]);
    const spec = object.spec as { replicas: number; template: { metadata: unknown } };
    expect(spec.replicas).toBe(1);
    expect(spec.template.metadata).toEqual({ labels: { app: 'web' } });
  });
});
