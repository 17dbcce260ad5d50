/**
 * The kubectl 1.32 commands whose request bodies the tests capture, with the path each posts to
 * and the object its protobuf body must decode to. Cases with a `fixture` also have the body
 * kubectl sent kept in `fixtures/<name>.hex`, for the fast unit tests.
 */
import { richJobSpec } from './rich-cronjob';

export interface KubectlCase {
  name: string;
  /** Arguments after `kubectl --server <url>`; `{blob}` stands for a binary file the test writes. */
  args: string[];
  /** What follows `--` (the container command), kept apart so flags can be added before it. */
  command?: string[];
  method: 'POST' | 'DELETE';
  path: string;
  object: Record<string, unknown>;
  fixture?: string;
}

/** The bytes of the `{blob}` file: not UTF-8, so kubectl puts them in `binaryData`. */
export const blob = Buffer.from([0x00, 0xff, 0xfe, 0x80, ...Buffer.from('binary')]);

const created = { creationTimestamp: null };

export const kubectlCases: KubectlCase[] = [
  {
    name: 'namespace',
    args: ['create', 'namespace', 'team-a'],
    method: 'POST',
    path: '/api/v1/namespaces',
    object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', ...created }, spec: {}, status: {} },
    fixture: 'namespace',
  },
  {
    name: 'configmap with literal and binary data',
    args: ['create', 'configmap', 'settings', '-n', 'team-a', '--from-literal=mode=fast', '--from-file=blob={blob}'],
    method: 'POST',
    path: '/api/v1/namespaces/team-a/configmaps',
    object: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'team-a', ...created },
      data: { mode: 'fast' },
      binaryData: { blob: blob.toString('base64') },
    },
    fixture: 'configmap',
  },
  {
    name: 'generic secret',
    args: ['create', 'secret', 'generic', 'creds', '--from-literal=user=admin', '--from-literal=password=s3cr3t!'],
    method: 'POST',
    path: '/api/v1/namespaces/default/secrets',
    object: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'creds', ...created },
      data: { password: Buffer.from('s3cr3t!').toString('base64'), user: Buffer.from('admin').toString('base64') },
    },
    fixture: 'secret',
  },
  {
    name: 'deployment',
    args: ['create', 'deployment', 'web', '-n', 'team-a', '--image=nginx:1.27', '--replicas=3', '--port=8080'],
    method: 'POST',
    path: '/apis/apps/v1/namespaces/team-a/deployments',
    object: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'team-a', ...created, labels: { app: 'web' } },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { ...created, labels: { app: 'web' } },
          spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 8080 }], resources: {} }] },
        },
        strategy: {},
      },
      status: {},
    },
    fixture: 'deployment',
  },
  {
    name: 'job with a command',
    args: ['create', 'job', 'migrate', '--image=busybox'],
    command: ['sh', '-c', 'echo done'],
    method: 'POST',
    path: '/apis/batch/v1/namespaces/default/jobs',
    object: {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', ...created },
      spec: {
        template: {
          metadata: { ...created },
          spec: {
            containers: [{ name: 'migrate', image: 'busybox', command: ['sh', '-c', 'echo done'], resources: {} }],
            restartPolicy: 'Never',
          },
        },
      },
      status: {},
    },
    fixture: 'job',
  },
  {
    name: 'cronjob',
    args: ['create', 'cronjob', 'report', '--image=busybox', '--schedule=*/5 * * * *', '--restart=Never'],
    command: ['date'],
    method: 'POST',
    path: '/apis/batch/v1/namespaces/default/cronjobs',
    object: {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'report', ...created },
      spec: {
        schedule: '*/5 * * * *',
        jobTemplate: {
          metadata: { name: 'report', ...created },
          spec: {
            template: {
              metadata: { ...created },
              spec: { containers: [{ name: 'report', image: 'busybox', command: ['date'], resources: {} }], restartPolicy: 'Never' },
            },
          },
        },
      },
      status: {},
    },
    fixture: 'cronjob',
  },
  {
    name: 'job from a cronjob with a full pod template',
    args: ['create', 'job', 'nightly-manual', '--from=cronjob/nightly'],
    method: 'POST',
    path: '/apis/batch/v1/namespaces/default/jobs',
    object: {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: 'nightly-manual',
        creationTimestamp: null,
        labels: { app: 'nightly' },
        annotations: { 'cronjob.kubernetes.io/instantiate': 'manual', team: 'data' },
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly', uid: 'uid-nightly', controller: true }],
      },
      spec: richJobSpec,
      status: {},
    },
    fixture: 'job-from-cronjob',
  },
  {
    name: 'ClusterIP service with two ports',
    args: ['create', 'service', 'clusterip', 'api', '--tcp=80:8080', '--tcp=443:8443'],
    method: 'POST',
    path: '/api/v1/namespaces/default/services',
    object: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'api', ...created, labels: { app: 'api' } },
      spec: {
        ports: [
          { name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 },
          { name: '443-8443', protocol: 'TCP', port: 443, targetPort: 8443 },
        ],
        selector: { app: 'api' },
        type: 'ClusterIP',
      },
      status: { loadBalancer: {} },
    },
    fixture: 'service',
  },
  {
    name: 'NodePort service',
    args: ['create', 'service', 'nodeport', 'edge', '--tcp=80:8080', '--node-port=30080'],
    method: 'POST',
    path: '/api/v1/namespaces/default/services',
    object: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'edge', ...created, labels: { app: 'edge' } },
      spec: {
        ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 30080 }],
        selector: { app: 'edge' },
        type: 'NodePort',
      },
      status: { loadBalancer: {} },
    },
  },
  {
    name: 'ExternalName service',
    args: ['create', 'service', 'externalname', 'ext', '--external-name=example.com'],
    method: 'POST',
    path: '/api/v1/namespaces/default/services',
    object: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'ext', ...created, labels: { app: 'ext' } },
      spec: { selector: { app: 'ext' }, type: 'ExternalName', externalName: 'example.com' },
      status: { loadBalancer: {} },
    },
  },
  {
    name: 'service account',
    args: ['create', 'serviceaccount', 'builder'],
    method: 'POST',
    path: '/api/v1/namespaces/default/serviceaccounts',
    object: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder', ...created } },
  },
  {
    name: 'resource quota',
    args: ['create', 'quota', 'limits', '--hard=cpu=2,memory=1Gi,pods=10'],
    method: 'POST',
    path: '/api/v1/namespaces/default/resourcequotas',
    object: {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'limits', ...created },
      spec: { hard: { cpu: '2', memory: '1Gi', pods: '10' } },
      status: {},
    },
    fixture: 'quota',
  },
  {
    name: 'pod disruption budget with a percentage',
    args: ['create', 'pdb', 'web', '--selector=app=web', '--max-unavailable=50%'],
    method: 'POST',
    path: '/apis/policy/v1/namespaces/default/poddisruptionbudgets',
    object: {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web', ...created },
      spec: { selector: { matchLabels: { app: 'web' } }, maxUnavailable: '50%' },
      status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
    },
    fixture: 'pdb',
  },
  {
    name: 'ingress with TLS, a default backend, named and numbered ports',
    args: ['create', 'ingress', 'web', '--class=nginx', '--rule=shop.example.com/api*=api:8080,tls=shop-tls', '--rule=/=web:http', '--default-backend=web:80'],
    method: 'POST',
    path: '/apis/networking.k8s.io/v1/namespaces/default/ingresses',
    object: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web', ...created },
      spec: {
        ingressClassName: 'nginx',
        defaultBackend: { service: { name: 'web', port: { number: 80 } } },
        tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }],
        rules: [
          { host: 'shop.example.com', http: { paths: [{ path: '/api', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 8080 } } } }] } },
          { http: { paths: [{ path: '/', pathType: 'Exact', backend: { service: { name: 'web', port: { name: 'http' } } } }] } },
        ],
      },
      status: { loadBalancer: {} },
    },
  },
  {
    name: 'role over two groups',
    args: ['create', 'role', 'pod-reader', '-n', 'team-a', '--verb=get,list,watch', '--resource=pods,deployments.apps'],
    method: 'POST',
    path: '/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/roles',
    object: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'pod-reader', namespace: 'team-a', ...created },
      rules: [
        { verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods'] },
        { verbs: ['get', 'list', 'watch'], apiGroups: ['apps'], resources: ['deployments'] },
      ],
    },
  },
  {
    name: 'clusterrole with resource names and a non-resource URL',
    args: ['create', 'clusterrole', 'system:probe', '--verb=get', '--resource=configmaps', '--resource-name=settings', '--non-resource-url=/healthz'],
    method: 'POST',
    path: '/apis/rbac.authorization.k8s.io/v1/clusterroles',
    object: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'system:probe', ...created },
      rules: [
        { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'] },
        { verbs: ['get'], nonResourceURLs: ['/healthz'] },
      ],
    },
  },
  {
    name: 'rolebinding of a clusterrole to a user, a group and a service account',
    args: ['create', 'rolebinding', 'readers', '-n', 'team-a', '--clusterrole=view', '--user=alice', '--group=devs', '--serviceaccount=ci:builder'],
    method: 'POST',
    path: '/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/rolebindings',
    object: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'readers', namespace: 'team-a', ...created },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [
        { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' },
        { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'devs' },
        { kind: 'ServiceAccount', name: 'builder', namespace: 'ci' },
      ],
    },
  },
  {
    name: 'clusterrolebinding',
    args: ['create', 'clusterrolebinding', 'root-admin', '--clusterrole=cluster-admin', '--user=root'],
    method: 'POST',
    path: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
    object: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'root-admin', ...created },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'root' }],
    },
  },
  {
    name: 'drain without eviction: DeleteOptions',
    args: ['drain', 'n1', '--disable-eviction', '--grace-period=5', '--timeout=30s'],
    method: 'DELETE',
    path: '/api/v1/namespaces/default/pods/web-1-abc',
    object: { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 5 },
    fixture: 'delete-options',
  },
];
