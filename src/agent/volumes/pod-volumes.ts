/**
 * A pod's volumes as host directories under the agent's data dir, ready to be bind-mounted:
 * emptyDir (a fresh directory living as long as the pod), hostPath (the host's own path, checked
 * by its type), configMap and secret (their keys as files, with items, paths and modes), and
 * downwardAPI and projected (pod fields and several sources in one directory). Other kinds make
 * the pod wait with a message that says so.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Pod, Volume } from '../../api/types';
import { configMapValues, PodInputs, podField, resourceField, secretValues } from '../pod-sync/env';
import { VolumeSetupFailed } from '../runtime/errors';
import { FileToWrite, writeAtomically } from './atomic-writer';

/** Volume name → host path. */
export type PodVolumes = Record<string, string>;

export const podDir = (dataDir: string, uid: string): string => path.join(dataDir, 'pods', uid);

type KeyToPath = { key: string; path: string; mode?: number };

const supported = 'emptyDir, hostPath, configMap, secret, downwardAPI and projected';

function project(
  values: Record<string, Buffer>,
  items: KeyToPath[] | undefined,
  mode: number,
  files: Map<string, FileToWrite>,
  missingKey: (key: string) => string | undefined,
): void {
  if (!items || items.length === 0) {
    for (const [key, data] of Object.entries(values)) files.set(key, { data, mode });
    return;
  }
  for (const item of items) {
    const data = values[item.key];
    if (data === undefined) {
      const problem = missingKey(item.key);
      if (problem) throw new Error(problem);
      continue;
    }
    files.set(item.path, { data, mode: item.mode ?? mode });
  }
}

async function hostPathCheck(volume: Volume): Promise<string> {
  const source = volume.hostPath!;
  const where = source.path;
  const stat = await fs.stat(where).catch(() => undefined);
  switch (source.type ?? '') {
    case '':
      return where;
    case 'DirectoryOrCreate':
      if (!stat) await fs.mkdir(where, { recursive: true, mode: 0o755 });
      else if (!stat.isDirectory()) throw new Error(`hostPath type check failed: ${where} is not a directory`);
      return where;
    case 'Directory':
      if (!stat?.isDirectory()) throw new Error(`hostPath type check failed: ${where} is not a directory`);
      return where;
    case 'FileOrCreate':
      if (!stat) await fs.writeFile(where, '', { mode: 0o644 });
      else if (!stat.isFile()) throw new Error(`hostPath type check failed: ${where} is not a file`);
      return where;
    case 'File':
      if (!stat?.isFile()) throw new Error(`hostPath type check failed: ${where} is not a file`);
      return where;
    case 'Socket':
      if (!stat?.isSocket()) throw new Error(`hostPath type check failed: ${where} is not a socket file`);
      return where;
    case 'CharDevice':
      if (!stat?.isCharacterDevice()) throw new Error(`hostPath type check failed: ${where} is not a character device`);
      return where;
    case 'BlockDevice':
      if (!stat?.isBlockDevice()) throw new Error(`hostPath type check failed: ${where} is not a block device`);
      return where;
    default:
      throw new Error(`hostPath type ${source.type} is not known`);
  }
}

/** The files of a configMap, secret, downwardAPI or projected volume. */
function payload(pod: Pod, volume: Volume, inputs: PodInputs): Map<string, FileToWrite> {
  const files = new Map<string, FileToWrite>();
  const namespace = pod.metadata.namespace ?? 'default';
  const fromConfigMap = (name: string, items: KeyToPath[] | undefined, optional: boolean | undefined, mode: number) => {
    const found = inputs.configMaps[name];
    if (!found) {
      if (optional) return;
      throw new Error(`configmap "${name}" not found`);
    }
    project(configMapValues(found), items, mode, files, (key) =>
      optional ? undefined : `configmap references non-existent config key: ${key} (in ${namespace}/${name})`,
    );
  };
  const fromSecret = (name: string, items: KeyToPath[] | undefined, optional: boolean | undefined, mode: number) => {
    const found = inputs.secrets[name];
    if (!found) {
      if (optional) return;
      throw new Error(`secret "${name}" not found`);
    }
    project(secretValues(found), items, mode, files, (key) =>
      optional ? undefined : `references non-existent secret key: ${key} (in ${namespace}/${name})`,
    );
  };
  type DownwardFile = NonNullable<NonNullable<Volume['downwardAPI']>['items']>[number];
  const fromDownward = (items: DownwardFile[], mode: number) => {
    for (const item of items) {
      let value = '';
      if (item.fieldRef) value = podField(pod, item.fieldRef.fieldPath, { podIP: pod.status?.podIP, hostIP: pod.status?.hostIP });
      else if (item.resourceFieldRef) {
        const ref = item.resourceFieldRef;
        const container = pod.spec?.containers.find((c) => c.name === ref.containerName);
        if (!container) throw new Error(`container "${ref.containerName ?? ''}" not found for resourceFieldRef ${ref.resource}`);
        value = resourceField(container, ref.resource, ref.divisor);
      }
      files.set(item.path, { data: Buffer.from(value), mode: item.mode ?? mode });
    }
  };

  if (volume.configMap) {
    const source = volume.configMap;
    fromConfigMap(source.name ?? '', source.items, source.optional, source.defaultMode ?? 0o644);
  } else if (volume.secret) {
    const source = volume.secret;
    fromSecret(source.secretName ?? '', source.items, source.optional, source.defaultMode ?? 0o644);
  } else if (volume.downwardAPI) {
    fromDownward(volume.downwardAPI.items ?? [], volume.downwardAPI.defaultMode ?? 0o644);
  } else if (volume.projected) {
    const mode = volume.projected.defaultMode ?? 0o644;
    for (const source of volume.projected.sources ?? []) {
      if (source.configMap) fromConfigMap(source.configMap.name ?? '', source.configMap.items, source.configMap.optional, mode);
      else if (source.secret) fromSecret(source.secret.name ?? '', source.secret.items, source.secret.optional, mode);
      else if (source.downwardAPI) fromDownward(source.downwardAPI.items ?? [], mode);
      // Service account tokens and trust bundles need an issuer berth does not run: left out.
    }
  }
  return files;
}

function kindOf(volume: Volume): string {
  return Object.keys(volume).find((key) => key !== 'name') ?? 'emptyDir';
}

/**
 * Sets up every volume of the pod (again: configMap and secret files follow their objects) and
 * returns where each one is on the host. A volume that cannot be set up is a VolumeSetupFailed
 * worded as kubelet's FailedMount event.
 */
export async function preparePodVolumes(dataDir: string, pod: Pod, inputs: PodInputs): Promise<PodVolumes> {
  const root = path.join(podDir(dataDir, pod.metadata.uid ?? ''), 'volumes');
  const volumes: PodVolumes = {};
  for (const volume of pod.spec?.volumes ?? []) {
    const kind = kindOf(volume);
    try {
      if (volume.hostPath) {
        volumes[volume.name] = await hostPathCheck(volume);
      } else if (volume.configMap || volume.secret || volume.downwardAPI || volume.projected) {
        const dir = path.join(root, kind, volume.name);
        await writeAtomically(dir, payload(pod, volume, inputs));
        volumes[volume.name] = dir;
      } else if (volume.emptyDir || kind === 'emptyDir') {
        const dir = path.join(root, 'emptyDir', volume.name);
        await fs.mkdir(dir, { recursive: true });
        // Any user the container runs as may write to it, as upstream's emptyDir allows.
        await fs.chmod(dir, 0o777);
        volumes[volume.name] = dir;
      } else {
        throw new Error(`${kind} volumes are not supported by berth (${supported} are)`);
      }
    } catch (error) {
      throw new VolumeSetupFailed(`MountVolume.SetUp failed for volume "${volume.name}" : ${(error as Error).message}`);
    }
  }
  return volumes;
}

/** Removes everything the agent kept on disk for a pod. */
export async function removePodVolumes(dataDir: string, uid: string): Promise<void> {
  if (!uid) return;
  await fs.rm(podDir(dataDir, uid), { recursive: true, force: true });
}
