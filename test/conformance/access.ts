/** Reaching the cluster with the kubeconfig `berth up` wrote: TLS, tokens, version, discovery, OpenAPI. */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { KubectlSession } from '../kubectl/session';
import { request } from '../support/http';
import type { BerthUp } from './berth-up';

export function access(up: () => BerthUp): void {
  it('talks HTTPS with the CA and admin token of the kubeconfig, and reports a semver server version', async () => {
    const config = YAML.parse(fs.readFileSync(path.join(up().dataDir, 'kubeconfig'), 'utf8'));
    expect(config.clusters[0].cluster.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(config.clusters[0].cluster['certificate-authority-data']).toBeTruthy();
    expect(config.users[0].user.token).toBeTruthy();
    const version = await up().kubectl.json(['version']);
    expect(version.serverVersion.gitVersion).toMatch(/^v1\.32\.\d+(\+[0-9A-Za-z.-]+)?$/);
    expect(version.serverVersion).toMatchObject({ major: '1', minor: '32', platform: 'linux/amd64' });
  });

  it('refuses a wrong token with Unauthorized, and a request without one', async () => {
    const config = YAML.parse(fs.readFileSync(path.join(up().dataDir, 'kubeconfig'), 'utf8'));
    const session = new KubectlSession(up().url, { kubeconfig: path.join(up().dataDir, 'kubeconfig') });
    try {
      await session.ok(['get', 'pods']); // discovery is now cached, so the refusal comes from the request itself
      fs.writeFileSync(session.kubeconfig, YAML.stringify({ ...config, users: [{ ...config.users[0], user: { token: 'not-the-token' } }] }));
      const result = await session.run(['get', 'pods']);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe('error: You must be logged in to the server (Unauthorized)\n');
      // Without a discovery cache kubectl fails at discovery, where client-go reports 401 in its own words.
      fs.rmSync(path.join(session.dir, 'home', '.kube'), { recursive: true, force: true });
      const fresh = await session.run(['get', 'pods']);
      expect(fresh.code).toBe(1);
      expect(fresh.stderr).toContain('error: You must be logged in to the server (the server has asked for the client to provide credentials)');
    } finally {
      session.dispose();
    }
    // kubectl without any credentials asks for a user name, so ask without one directly.
    const ca = Buffer.from(config.clusters[0].cluster['certificate-authority-data'], 'base64').toString();
    const anonymous = await request('GET', `${up().url}/api/v1/namespaces/default/pods`, undefined, { ca });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
  });

  it('lists the served group-versions and resources, with every kind the default prune allow-list needs', async () => {
    const versions = (await up().kubectl.ok(['api-versions'])).trim().split('\n');
    expect(versions).toEqual(expect.arrayContaining(['v1', 'apps/v1', 'batch/v1', 'coordination.k8s.io/v1', 'apiextensions.k8s.io/v1', 'networking.k8s.io/v1', 'discovery.k8s.io/v1']));
    const resources = (await up().kubectl.ok(['api-resources', '-o', 'name'])).trim().split('\n');
    // kubectl 1.32's default prune allow-list (kubectl pkg/cmd/apply/prune.go).
    const pruned = ['configmaps', 'endpoints', 'persistentvolumeclaims', 'pods', 'replicationcontrollers', 'secrets', 'services', 'jobs.batch', 'cronjobs.batch', 'ingresses.networking.k8s.io', 'daemonsets.apps', 'deployments.apps', 'replicasets.apps', 'statefulsets.apps', 'namespaces', 'persistentvolumes'];
    expect(resources).toEqual(expect.arrayContaining(pruned));
  });

  it('explains the fields of built-in kinds from the OpenAPI documents', async () => {
    const out = await up().kubectl.ok(['explain', 'deployment.spec.strategy']);
    expect(out).toContain('KIND:       Deployment');
    expect(out).toContain('FIELD: strategy <DeploymentStrategy>');
    expect(out).toMatch(/rollingUpdate\s+<RollingUpdateDeployment>/);
    expect(await up().kubectl.ok(['explain', 'pods.spec.containers.livenessProbe'])).toContain('httpGet');
  });

  it('says that no metrics are served for kubectl top', async () => {
    const result = await up().kubectl.run(['top', 'pods']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Metrics API not available');
  });
}
