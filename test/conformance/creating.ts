/** kubectl's typed `create` commands, which send protobuf bodies, and `expose`. */
import type { BerthUp } from './berth-up';

export function creating(up: () => BerthUp): void {
  const ns = 'conformance-create';
  const k = () => up().kubectl;

  it('creates a namespace, a config map and a secret, and stores what was said', async () => {
    expect(await k().ok(['create', 'namespace', ns])).toBe(`namespace/${ns} created\n`);
    expect(await k().ok(['create', 'configmap', 'settings', '-n', ns, '--from-literal=mode=fast', '--from-literal=level=3'])).toBe('configmap/settings created\n');
    expect(await k().ok(['create', 'secret', 'generic', 'password', '-n', ns, '--from-literal=password=s3cret'])).toBe('secret/password created\n');
    const cm = await k().json(['get', 'configmap', 'settings', '-n', ns]);
    expect(cm.data).toEqual({ mode: 'fast', level: '3' });
    const secret = await k().json(['get', 'secret', 'password', '-n', ns]);
    expect(secret.type).toBe('Opaque');
    expect(Buffer.from(secret.data.password, 'base64').toString()).toBe('s3cret');
    const namespace = await k().json(['get', 'namespace', ns]);
    expect(namespace.status.phase).toBe('Active');
  });

  it('creates a deployment and a job that run, and exposes the deployment as a service with endpoints', async () => {
    const image = up().image;
    expect(await k().ok(['create', 'deployment', 'echo', '-n', ns, `--image=${image}`, '--port=8080', '--', 'sh', '-c', 'exec httpd -f -p 8080 -h /www'])).toBe('deployment.apps/echo created\n');
    expect(await k().ok(['create', 'job', 'once', '-n', ns, `--image=${image}`, '--', 'echo', 'done once'])).toBe('job.batch/once created\n');
    expect(await k().ok(['expose', 'deployment', 'echo', '-n', ns, '--port=80', '--target-port=8080'])).toBe('service/echo exposed\n');

    expect(await k().ok(['wait', '--for=condition=Available', 'deploy/echo', '-n', ns, '--timeout=120s'])).toBe('deployment.apps/echo condition met\n');
    expect(await k().ok(['wait', '--for=condition=Complete', 'job/once', '-n', ns, '--timeout=120s'])).toBe('job.batch/once condition met\n');
    expect(await k().ok(['logs', 'job/once', '-n', ns])).toBe('done once\n');

    const service = await k().json(['get', 'service', 'echo', '-n', ns]);
    expect(service.spec).toMatchObject({ type: 'ClusterIP', selector: { app: 'echo' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] });
    expect(service.spec.clusterIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const pod = (await k().json(['get', 'pods', '-n', ns, '-l', 'app=echo'])).items[0];
    const endpoints = await waitForJson(k, ['get', 'endpoints', 'echo', '-n', ns], (e) => e.subsets?.[0]?.addresses?.length === 1);
    expect(endpoints.subsets[0]).toMatchObject({ addresses: [{ ip: pod.status.podIP }], ports: [{ port: 8080, protocol: 'TCP' }] });
  });
}

/** Polls `kubectl get ... -o json` until the object satisfies `ready`. */
export async function waitForJson(k: () => import('../kubectl/session').KubectlSession, args: string[], ready: (object: any) => boolean, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  let last: any;
  while (Date.now() < deadline) {
    const result = await k().run([...args, '-o', 'json']);
    if (result.code === 0) {
      last = JSON.parse(result.stdout);
      if (ready(last)) return last;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`kubectl ${args.join(' ')} never became ready; last: ${JSON.stringify(last)}`);
}
