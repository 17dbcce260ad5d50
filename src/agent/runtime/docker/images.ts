/**
 * Making an image present as the pull policy says: Never (present or ImageNeverPull), IfNotPresent
 * (pull only when absent), Always (pull; when the pull fails, use the copy present, if any).
 * A failed pull is ImagePullFailed in kubelet's words; a reference that cannot be parsed is
 * InvalidImageName.
 */
import Docker from './dockerode';
import { ImageNeverPull, ImagePullFailed, InvalidImageName, RuntimeUnavailable } from '../errors';
import { ImageInfo, PullPolicy } from '../runtime';
import { dockerMessage, mapDockerError } from './docker-errors';

const component = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const domain = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)?';
const reference = new RegExp(`^${domain}${component}(?:/${component})*(?::[\\w][\\w.-]{0,127})?(?:@[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,})?$`);

/** Whether Docker (and kubelet) can parse the reference. */
export function validImageReference(image: string): boolean {
  return image.length > 0 && image.length <= 255 && reference.test(image);
}

async function presentId(docker: Docker, image: string): Promise<string | undefined> {
  try {
    return (await docker.getImage(image).inspect()).Id;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw mapDockerError(error, `inspect image ${image}`);
  }
}

/** Pulls; Docker reports most failures inside the progress stream, not as an HTTP error. */
async function pull(docker: Docker, image: string, timeoutMs: number): Promise<void> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const stream = await docker.pull(image, { abortSignal: abort.signal });
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(stream, (error: Error | null, output: { error?: string }[]) => {
        const failed = error ?? output.find((o) => o.error)?.error;
        if (failed) reject(failed instanceof Error ? failed : new Error(failed));
        else resolve();
      }),
    );
  } catch (error) {
    const cause = abort.signal.aborted ? `no answer from the registry within ${timeoutMs / 1000}s` : dockerMessage(error);
    const mapped = mapDockerError(error, `pull image ${image}`);
    // The engine itself being away is not the image's fault: report that instead.
    if (mapped instanceof RuntimeUnavailable && !abort.signal.aborted) throw mapped;
    throw new ImagePullFailed(`Failed to pull image "${image}": Error response from daemon: ${cause}`);
  } finally {
    clearTimeout(timer);
  }
}

export async function ensureImage(docker: Docker, image: string, policy: PullPolicy, pullTimeoutMs: number): Promise<ImageInfo> {
  if (!validImageReference(image)) {
    throw new InvalidImageName(`Failed to apply default image tag "${image}": couldn't parse image name "${image}": invalid reference format`);
  }
  const present = await presentId(docker, image);
  if (policy === 'Never') {
    if (present) return { id: present, pulled: false };
    throw new ImageNeverPull(`Container image "${image}" is not present with pull policy of Never`);
  }
  if (policy === 'IfNotPresent' && present) return { id: present, pulled: false };
  try {
    await pull(docker, image, pullTimeoutMs);
  } catch (error) {
    // Unlike kubelet, a node that cannot reach the registry runs the copy it has (built or
    // loaded locally) rather than failing an Always pod.
    if (present && error instanceof ImagePullFailed) return { id: present, pulled: false };
    throw error;
  }
  const id = await presentId(docker, image);
  if (!id) throw new ImagePullFailed(`Failed to pull image "${image}": the image is still missing after the pull`);
  return { id, pulled: true };
}
