/**
 * Docker for tests: a check that the engine answers (with a hint when it does not), the local
 * busybox image tests run (sh, httpd, nc, sleep ... from the host's busybox-static, imported
 * without any registry by the agent's own builder), and the clean-up of everything a test
 * created, found by its `berth.test` label.
 */
import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { ensureBusyboxImage } from '../../src/agent/runtime/docker/rootfs-image';

export const TEST_IMAGE = 'berth-test/busybox:1.35';
export const TEST_LABEL = 'berth.test';

export async function requireDocker(docker = new Docker()): Promise<Docker> {
  try {
    await docker.version();
  } catch (error) {
    throw new Error(`these tests need a Docker engine on /var/run/docker.sock (${(error as Error).message}); start one with scripts/dockerd`);
  }
  return docker;
}

/** The test image, built once per machine. */
export async function busyboxImage(docker: Docker): Promise<string> {
  await ensureBusyboxImage(docker, TEST_IMAGE, { applets: true, changes: ['ENV PATH=/bin', 'CMD ["sh"]'] });
  return TEST_IMAGE;
}

/** A label value unique to one test file's run: everything it creates carries it. */
export function testRun(name: string): { labels: Record<string, string>; value: string } {
  const value = `${name}-${randomBytes(3).toString('hex')}`;
  return { labels: { [TEST_LABEL]: value }, value };
}

/** Removes every container and network labelled with this run. */
export async function removeTestObjects(docker: Docker, value: string): Promise<void> {
  const filters = { label: [`${TEST_LABEL}=${value}`] };
  const containers = await docker.listContainers({ all: true, filters });
  // App containers first: a sandbox cannot go while containers share its namespaces.
  containers.sort((a, b) => Number(a.Labels['berth.role'] === 'sandbox') - Number(b.Labels['berth.role'] === 'sandbox'));
  for (const c of containers) await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined);
  for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove().catch(() => undefined);
}
