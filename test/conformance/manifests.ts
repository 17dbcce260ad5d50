/** The manifests the conformance suite applies: real Kubernetes YAML, as a user would write it. */
import YAML from 'yaml';

/** Short grace periods: busybox programs as pid 1 ignore SIGTERM, and the suite waits for deletions. */
const grace = 2;

export interface WebOptions {
  name?: string;
  replicas?: number;
  env?: Record<string, string>;
  progressDeadlineSeconds?: number;
}

/** An httpd Deployment labelled app=NAME; each pod answers "hello from POD". */
export function webDeployment(image: string, options: WebOptions = {}): string {
  const name = options.name ?? 'web';
  return YAML.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas: options.replicas ?? 2,
      ...(options.progressDeadlineSeconds ? { progressDeadlineSeconds: options.progressDeadlineSeconds } : {}),
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: grace,
          containers: [
            {
              name: 'httpd',
              image,
              command: ['sh', '-c', 'mkdir -p /tmp/www && echo "hello from $(hostname)" > /tmp/www/index.html && echo web-started && exec httpd -f -v -p 80 -h /tmp/www'],
              env: Object.entries(options.env ?? {}).map(([name, value]) => ({ name, value })),
              ports: [{ name: 'http', containerPort: 80 }],
              readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 1 },
            },
          ],
        },
      },
    },
  });
}

export const webService = YAML.stringify({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
});

/** Two containers: `a` prints three lines and exits (so it restarts), `b` prints and keeps ticking. */
export function talkerPod(image: string): string {
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'talker', labels: { app: 'talker' } },
    spec: {
      terminationGracePeriodSeconds: grace,
      containers: [
        { name: 'a', image, command: ['sh', '-c', 'echo one; echo two; echo three; sleep 1; exit 3'] },
        { name: 'b', image, command: ['sh', '-c', 'echo bee; while true; do sleep 1; echo tick; done'] },
      ],
    },
  });
}

export function job(image: string, name: string): string {
  return YAML.stringify({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: {
      backoffLimit: 1,
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'work', image, command: ['sh', '-c', 'echo "the answer is $((6 * 7))"'] }] } },
    },
  });
}

export function cronJob(image: string, name: string): string {
  return YAML.stringify({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name },
    spec: {
      schedule: '*/5 * * * *',
      jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'tick', image, command: ['date'] }] } } } },
    },
  });
}

export function configMap(name: string, data: Record<string, string>, labels: Record<string, string> = {}): string {
  return YAML.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data });
}

export const crontabDefinition = YAML.stringify({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'crontabs.stable.example.com' },
  spec: {
    group: 'stable.example.com',
    scope: 'Namespaced',
    names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', shortNames: ['ct'] },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: { spec: { type: 'object', properties: { cronSpec: { type: 'string' }, image: { type: 'string' }, replicas: { type: 'integer' } } } },
          },
        },
        additionalPrinterColumns: [
          { name: 'Spec', type: 'string', jsonPath: '.spec.cronSpec' },
          { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
      },
    ],
  },
});

export function crontab(name: string, cronSpec: string, replicas: number): string {
  return YAML.stringify({ apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name }, spec: { cronSpec, image: 'berth/busybox:1.35', replicas } });
}
