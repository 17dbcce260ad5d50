import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigMap, Container, Secret } from '../../api/types';
import { ContainerConfigError, VolumeSetupFailed } from '../runtime/errors';
import { preparePodVolumes } from '../volumes/pod-volumes';
import { containerSpec, pullPolicyOf } from './container-spec';
import { expand, PodInputs, referencedObjects, resolveEnv } from './env';
import { pod, ref } from './test-fixtures';

const configMap = (name: string, data: Record<string, string>): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
const secret = (name: string, data: Record<string, string>): Secret =>
  ({ apiVersion: 'v1', kind: 'Secret', metadata: { name }, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])) }) as Secret;

const inputs: PodInputs = {
  configMaps: { settings: configMap('settings', { mode: 'fast', 'log.level': 'debug', 'bad key': 'x' }) },
  secrets: { creds: secret('creds', { password: 's3cret' }) },
};
const fields = { podIP: '10.88.0.9', hostIP: '192.168.1.10' };

describe('resolveEnv', () => {
  it('takes values, ConfigMap and Secret keys, pod fields and resources, envFrom first and env winning', () => {
    const container: Container = {
      name: 'app',
      image: 'x:1',
      resources: { limits: { memory: '64Mi', cpu: '250m' } },
      envFrom: [{ configMapRef: { name: 'settings' }, prefix: 'CFG_' }],
      env: [
        { name: 'CFG_mode', value: 'slow' },
        { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
        { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode' } } },
        { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'MEM_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
        { name: 'CPU_M', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
        { name: 'URL', value: 'http://$(IP):80/$(MODE)/$(UNKNOWN)/$$(IP)' },
      ],
    };
    const env = Object.fromEntries(resolveEnv(pod(), container, inputs, fields).map((v) => [v.name, v.value]));
    expect(env).toEqual({
      CFG_mode: 'slow',
      'CFG_log.level': 'debug',
      PASSWORD: 's3cret',
      MODE: 'fast',
      POD: 'web',
      NS: 'default',
      IP: '10.88.0.9',
      MEM_MI: '64',
      CPU_M: '250',
      URL: 'http://10.88.0.9:80/fast/$(UNKNOWN)/$(IP)',
    });
  });

  it.each([
    [{ configMapKeyRef: { name: 'missing', key: 'a' } }, 'configmap "missing" not found'],
    [{ configMapKeyRef: { name: 'settings', key: 'nope' } }, "couldn't find key nope in ConfigMap default/settings"],
    [{ secretKeyRef: { name: 'gone', key: 'a' } }, 'secret "gone" not found'],
    [{ secretKeyRef: { name: 'creds', key: 'user' } }, "couldn't find key user in Secret default/creds"],
  ])('refuses a missing source %j with CreateContainerConfigError: %s', (valueFrom, message) => {
    const container: Container = { name: 'app', image: 'x:1', env: [{ name: 'V', valueFrom }] };
    let error: unknown;
    try {
      resolveEnv(pod(), container, inputs, fields);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ContainerConfigError);
    expect((error as ContainerConfigError).waitingReason).toBe('CreateContainerConfigError');
    expect((error as Error).message).toBe(message);
  });

  it('skips optional sources that are missing', () => {
    const container: Container = { name: 'app', image: 'x:1', env: [{ name: 'V', valueFrom: { configMapKeyRef: { name: 'missing', key: 'a', optional: true } } }] };
    expect(resolveEnv(pod(), container, inputs, fields)).toEqual([]);
  });

  it('expands only known references and unescapes $$', () => {
    const vars = new Map([['A', '1']]);
    expect(expand('$(A)-$(B)-$$(A)-$A-$(', vars)).toBe('1-$(B)-$(A)-$A-$(');
  });
});

describe('containerSpec', () => {
  it('names what the pod refers to', () => {
    const subject = pod({
      containers: [{ name: 'app', image: 'x:1', envFrom: [{ secretRef: { name: 's1' } }], env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'c1', key: 'k' } } }] }],
      volumes: [{ name: 'v', configMap: { name: 'c2' } }, { name: 'w', secret: { secretName: 's2' } }],
    });
    expect(referencedObjects(subject)).toEqual({ configMaps: ['c1', 'c2'], secrets: ['s1', 's2'] });
  });

  it('turns resources, security and mounts into runtime terms', () => {
    const container: Container = {
      name: 'app',
      image: 'x:1',
      command: ['sh', '-c', 'echo $(GREETING)'],
      env: [{ name: 'GREETING', value: 'hi' }],
      resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m' } },
      securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
      volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: true, subPath: 'sub' }],
    };
    const subject = pod({ containers: [container], securityContext: { runAsUser: 1000 } });
    const spec = containerSpec(subject, ref, container, {
      kind: 'app',
      attempt: 2,
      fields,
      inputs,
      volumes: { data: '/var/lib/berth/pods/uid-1/volumes/emptyDir/data' },
      allowPrivileged: false,
    });
    expect(spec).toMatchObject({
      attempt: 2,
      command: ['sh', '-c', 'echo hi'],
      resources: { cpuLimitMillis: 500, memoryLimitBytes: 128 * 2 ** 20, cpuRequestMillis: 100, memoryRequestBytes: 128 * 2 ** 20 },
      security: { user: 1000, readOnlyRootFilesystem: true, noNewPrivileges: true },
      mounts: [{ hostPath: '/var/lib/berth/pods/uid-1/volumes/emptyDir/data/sub', containerPath: '/data', readOnly: true }],
    });
    expect(spec.specHash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('refuses a privileged container unless the node allows it', () => {
    const container: Container = { name: 'app', image: 'x:1', securityContext: { privileged: true } };
    const options = { kind: 'app' as const, attempt: 0, fields, inputs, volumes: {}, allowPrivileged: false };
    expect(() => containerSpec(pod({ containers: [container] }), ref, container, options)).toThrow(
      /privileged containers are not allowed on this node/,
    );
    expect(containerSpec(pod({ containers: [container] }), ref, container, { ...options, allowPrivileged: true }).security.privileged).toBe(true);
  });

  it('refuses a mount of a volume the pod does not have', () => {
    const container: Container = { name: 'app', image: 'x:1', volumeMounts: [{ name: 'nope', mountPath: '/x' }] };
    expect(() =>
      containerSpec(pod({ containers: [container] }), ref, container, { kind: 'app', attempt: 0, fields, inputs, volumes: {}, allowPrivileged: false }),
    ).toThrow('cannot find volume "nope" to mount into container "app"');
  });

  it.each([
    ['busybox', 'Always'],
    ['busybox:latest', 'Always'],
    ['busybox:1.36', 'IfNotPresent'],
    ['localhost:5000/busybox', 'Always'],
    ['localhost:5000/busybox:1', 'IfNotPresent'],
    ['busybox@sha256:0123', 'IfNotPresent'],
  ])('defaults the pull policy of %s to %s', (image, policy) => {
    expect(pullPolicyOf({ name: 'c', image })).toBe(policy);
  });
});

describe('pod volumes', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(path.join(os.tmpdir(), 'berth-volumes-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('writes configMap keys and secret items as files with their modes, and follows updates', async () => {
    const subject = pod({
      volumes: [
        { name: 'config', configMap: { name: 'settings' } },
        { name: 'creds', secret: { secretName: 'creds', items: [{ key: 'password', path: 'db/password', mode: 0o400 }] } },
        { name: 'scratch', emptyDir: {} },
      ],
    });
    const volumes = await preparePodVolumes(dataDir, subject, inputs);
    expect(await fs.readFile(path.join(volumes.config, 'mode'), 'utf8')).toBe('fast');
    expect(await fs.readFile(path.join(volumes.config, 'log.level'), 'utf8')).toBe('debug');
    expect(await fs.readFile(path.join(volumes.creds, 'db/password'), 'utf8')).toBe('s3cret');
    expect((await fs.stat(path.join(volumes.creds, 'db/password'))).mode & 0o777).toBe(0o400);
    expect((await fs.stat(path.join(volumes.config, 'mode'))).mode & 0o777).toBe(0o644);
    expect((await fs.stat(volumes.scratch)).mode & 0o777).toBe(0o777);

    const updated = { ...inputs, configMaps: { settings: configMap('settings', { mode: 'slow' }) } };
    await preparePodVolumes(dataDir, subject, updated);
    expect(await fs.readFile(path.join(volumes.config, 'mode'), 'utf8')).toBe('slow');
    expect(await fs.readdir(volumes.config)).toEqual(expect.not.arrayContaining(['log.level']));
  });

  it('makes the pod wait with a FailedMount message when a ConfigMap is missing or a kind is not supported', async () => {
    await expect(preparePodVolumes(dataDir, pod({ volumes: [{ name: 'config', configMap: { name: 'absent' } }] }), inputs)).rejects.toThrow(
      new VolumeSetupFailed('MountVolume.SetUp failed for volume "config" : configmap "absent" not found'),
    );
    await expect(
      preparePodVolumes(dataDir, pod({ volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'db' } }] }), inputs),
    ).rejects.toThrow(/persistentVolumeClaim volumes are not supported by berth/);
  });

  it('checks hostPath types and creates DirectoryOrCreate', async () => {
    const made = path.join(dataDir, 'made');
    const volumes = await preparePodVolumes(dataDir, pod({ volumes: [{ name: 'h', hostPath: { path: made, type: 'DirectoryOrCreate' } }] }), inputs);
    expect(volumes.h).toBe(made);
    expect((await fs.stat(made)).isDirectory()).toBe(true);
    await expect(
      preparePodVolumes(dataDir, pod({ volumes: [{ name: 'h', hostPath: { path: path.join(dataDir, 'none'), type: 'Directory' } }] }), inputs),
    ).rejects.toThrow(/hostPath type check failed: .* is not a directory/);
  });
});
