/**
 * Images built on the node without any registry: a root filesystem made from the host's
 * statically linked busybox, imported with `docker import`. The sandbox image needs only the
 * binary; the test and example image gets every applet (sh, httpd, nc, sleep ...) linked to it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import Docker from './dockerode';
import { InternalError } from '../../../api/errors';
import { mapDockerError } from './docker-errors';
import { tar, TarEntry } from './tar';

export const HOST_BUSYBOX = '/bin/busybox';

export interface RootfsOptions {
  /** Link every applet into /bin (sh, httpd, nc ...); the sandbox needs none. */
  applets: boolean;
  /** Dockerfile-style changes for `docker import --change` (ENV, CMD ...). */
  changes?: string[];
  labels?: Record<string, string>;
}

function busyboxEntries(busybox: string, applets: boolean): TarEntry[] {
  if (!existsSync(busybox)) {
    throw new InternalError(`${busybox} is missing: install a statically linked busybox (Debian's busybox-static) to build images on this node`);
  }
  const entries: TarEntry[] = ['bin', 'etc', 'proc', 'sys', 'dev', 'root', 'www', 'var'].map((dir) => ({ type: 'dir', path: dir }));
  entries.push({ type: 'dir', path: 'tmp', mode: 0o1777 });
  entries.push({ type: 'file', path: 'bin/busybox', mode: 0o755, data: readFileSync(busybox) });
  entries.push({ type: 'file', path: 'etc/passwd', data: Buffer.from('root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n') });
  entries.push({ type: 'file', path: 'etc/group', data: Buffer.from('root:x:0:\nnobody:x:65534:\n') });
  entries.push({ type: 'file', path: 'www/index.html', data: Buffer.from('<h1>served by berth</h1>\n') });
  if (applets) {
    const names = execFileSync(busybox, ['--list'], { encoding: 'utf8' }).split('\n').filter((n) => n && n !== 'busybox');
    for (const name of names) entries.push({ type: 'symlink', path: `bin/${name}`, target: 'busybox' });
  }
  return entries;
}

export async function imageExists(docker: Docker, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    throw mapDockerError(error, `inspect image ${image}`);
  }
}

/** Builds `image` from the host's busybox unless it exists. */
export async function ensureBusyboxImage(docker: Docker, image: string, options: RootfsOptions, busybox = HOST_BUSYBOX): Promise<void> {
  if (await imageExists(docker, image)) return;
  const archive = tar(busyboxEntries(busybox, options.applets));
  const [repo, tag] = image.includes(':') ? [image.slice(0, image.lastIndexOf(':')), image.slice(image.lastIndexOf(':') + 1)] : [image, 'latest'];
  const changes = [...(options.changes ?? [])];
  for (const [key, value] of Object.entries(options.labels ?? {})) changes.push(`LABEL ${key}=${JSON.stringify(value)}`);
  try {
    const progress = await docker.importImage(Readable.from([archive]), { repo, tag, changes } as object);
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(progress, (error: Error | null, output: { error?: string }[]) => {
        const failed = error?.message ?? output.find((o) => o.error)?.error;
        if (failed) reject(new Error(failed));
        else resolve();
      }),
    );
  } catch (error) {
    throw mapDockerError(error, `import image ${image} from ${busybox}`);
  }
}
