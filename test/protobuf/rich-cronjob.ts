/**
 * A CronJob whose job template uses most of JobSpec and PodSpec. The recording server hands it to
 * `kubectl create job --from=cronjob/nightly`; kubectl decodes it into its Go types and sends the
 * Job back as protobuf, so the decoder meets a real encoding of every field here. Values are in
 * canonical form (quantities, zero pointers kept, no zero omitempty fields) so that the Job's spec
 * must come back exactly as written.
 */

export const richPodSpec = {
  volumes: [
    {
      name: 'config',
      configMap: { name: 'settings', items: [{ key: 'mode', path: 'mode.txt', mode: 256 }], defaultMode: 420, optional: true },
    },
    { name: 'creds', secret: { secretName: 'creds', defaultMode: 256 } },
    { name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
    { name: 'host', hostPath: { path: '/var/log', type: 'Directory' } },
    { name: 'claim', persistentVolumeClaim: { claimName: 'data', readOnly: true } },
    { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.labels' } }] } },
    {
      name: 'bundle',
      projected: {
        sources: [
          { serviceAccountToken: { audience: 'vault', expirationSeconds: 3600, path: 'token' } },
          { configMap: { name: 'settings' } },
          { secret: { name: 'creds', items: [{ key: 'user', path: 'user' }] } },
        ],
        defaultMode: 420,
      },
    },
    { name: 'share', nfs: { server: 'nfs.local', path: '/exports', readOnly: true } },
  ],
  initContainers: [
    { name: 'sidecar', image: 'busybox', command: ['sh', '-c', 'sleep infinity'], resources: {}, restartPolicy: 'Always' },
  ],
  containers: [
    {
      name: 'app',
      image: 'registry.local/app:1',
      args: ['--serve'],
      workingDir: '/srv',
      ports: [
        { name: 'http', containerPort: 8080, protocol: 'TCP' },
        { hostPort: 9090, containerPort: 9090, protocol: 'UDP', hostIP: '127.0.0.1' },
      ],
      envFrom: [{ prefix: 'S_', secretRef: { name: 'creds', optional: false } }],
      env: [
        { name: 'PLAIN', value: 'x' },
        { name: 'NODE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
        { name: 'MEM', valueFrom: { resourceFieldRef: { containerName: 'app', resource: 'limits.memory', divisor: '1Mi' } } },
        { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode' } } },
      ],
      resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m', memory: '64Mi' } },
      resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }],
      volumeMounts: [
        { name: 'config', readOnly: true, mountPath: '/etc/app' },
        { name: 'scratch', mountPath: '/tmp', subPath: 'tmp' },
      ],
      volumeDevices: [{ name: 'raw', devicePath: '/dev/xvda' }],
      livenessProbe: {
        httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP', httpHeaders: [{ name: 'X-Probe', value: '1' }] },
        initialDelaySeconds: 3,
        timeoutSeconds: 1,
        periodSeconds: 10,
        successThreshold: 1,
        failureThreshold: 3,
        terminationGracePeriodSeconds: 0,
      },
      readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 5 },
      startupProbe: { grpc: { port: 9090, service: '' }, failureThreshold: 30 },
      lifecycle: { postStart: { exec: { command: ['touch', '/tmp/started'] } }, preStop: { sleep: { seconds: 5 } } },
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'FallbackToLogsOnError',
      imagePullPolicy: 'IfNotPresent',
      securityContext: {
        capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
        privileged: false,
        runAsUser: 0,
        runAsGroup: 0,
        runAsNonRoot: false,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      stdin: true,
      tty: true,
    },
  ],
  restartPolicy: 'OnFailure',
  terminationGracePeriodSeconds: 0,
  activeDeadlineSeconds: 600,
  dnsPolicy: 'ClusterFirst',
  nodeSelector: { disk: 'ssd' },
  serviceAccountName: 'builder',
  automountServiceAccountToken: false,
  shareProcessNamespace: true,
  securityContext: {
    runAsUser: 1000,
    runAsGroup: 3000,
    supplementalGroups: [4000, 5000],
    fsGroup: 2000,
    sysctls: [{ name: 'net.core.somaxconn', value: '1024' }],
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/app.json' },
  },
  imagePullSecrets: [{ name: 'registry' }],
  hostname: 'app',
  subdomain: 'apps',
  affinity: {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }],
      },
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [{ key: 'gpu', operator: 'Exists' }] } }],
    },
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'nightly' } }, topologyKey: 'kubernetes.io/hostname' } },
      ],
    },
  },
  schedulerName: 'default-scheduler',
  tolerations: [
    { key: 'dedicated', operator: 'Equal', value: 'batch', effect: 'NoSchedule' },
    { operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 0 },
  ],
  hostAliases: [{ ip: '10.0.0.1', hostnames: ['db.local'] }],
  priorityClassName: 'low',
  priority: 0,
  dnsConfig: { nameservers: ['1.1.1.1'], searches: ['svc.local'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] },
  readinessGates: [{ conditionType: 'example.com/ready' }],
  runtimeClassName: 'runc',
  enableServiceLinks: false,
  preemptionPolicy: 'Never',
  topologySpreadConstraints: [
    {
      maxSkew: 1,
      topologyKey: 'zone',
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: { app: 'nightly' } },
      minDomains: 2,
      nodeAffinityPolicy: 'Honor',
      matchLabelKeys: ['pod-template-hash'],
    },
  ],
  setHostnameAsFQDN: false,
  os: { name: 'linux' },
  hostUsers: true,
  schedulingGates: [{ name: 'example.com/gate' }],
};

export const richJobSpec = {
  parallelism: 2,
  completions: 4,
  activeDeadlineSeconds: 3600,
  podFailurePolicy: {
    rules: [
      { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
      { action: 'FailJob', onExitCodes: { containerName: 'app', operator: 'In', values: [42, 43] } },
    ],
  },
  successPolicy: { rules: [{ succeededIndexes: '0-1', succeededCount: 1 }] },
  backoffLimit: 0,
  backoffLimitPerIndex: 1,
  maxFailedIndexes: 2,
  template: { metadata: { creationTimestamp: null, labels: { app: 'nightly' }, annotations: { note: 'x' } }, spec: richPodSpec },
  ttlSecondsAfterFinished: 0,
  completionMode: 'Indexed',
  suspend: false,
  podReplacementPolicy: 'Failed',
};

export const nightlyCronJob = {
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'nightly', namespace: 'default', uid: 'uid-nightly', resourceVersion: '7', creationTimestamp: '2024-01-01T00:00:00Z' },
  spec: {
    schedule: '0 3 * * *',
    jobTemplate: { metadata: { labels: { app: 'nightly' }, annotations: { team: 'data' } }, spec: richJobSpec },
  },
  status: {},
};

export const nightlyCronJobPath = '/apis/batch/v1/namespaces/default/cronjobs/nightly';
