/**
 * Writes a set of files into a volume directory so a running container never sees a half-done
 * update, as kubelet's AtomicWriter does: the files live in a hidden directory named after their
 * content, `..data` points at it, and each top-level name is a link through `..data`. An update
 * writes a new hidden directory and swaps the `..data` link with one rename.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface FileToWrite {
  data: Buffer;
  mode: number;
}

const DATA = '..data';

function contentName(files: Map<string, FileToWrite>): string {
  const hash = createHash('sha256');
  for (const [file, { data, mode }] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    hash.update(`${file}\0${mode}\0${data.length}\0`).update(data);
  }
  return `..${hash.digest('hex').slice(0, 16)}`;
}

async function readLink(file: string): Promise<string | undefined> {
  try {
    return await fs.readlink(file);
  } catch {
    return undefined;
  }
}

/** A path inside the payload: relative, without '..' elements. */
export function checkPayloadPath(file: string): void {
  if (path.isAbsolute(file) || file.split('/').some((part) => part === '..' || part === '') || file.startsWith('..')) {
    throw new Error(`invalid path "${file}": must be relative, may not contain '..' and may not start with '..'`);
  }
}

/** Makes `dir` hold exactly `files`; does nothing when it already does. */
export async function writeAtomically(dir: string, files: Map<string, FileToWrite>): Promise<void> {
  for (const file of files.keys()) checkPayloadPath(file);
  await fs.mkdir(dir, { recursive: true });
  const target = contentName(files);
  if ((await readLink(path.join(dir, DATA))) === target) return;

  const staging = path.join(dir, `${target}.tmp`);
  await fs.rm(staging, { recursive: true, force: true });
  for (const [file, { data, mode }] of files) {
    const full = path.join(staging, file);
    await fs.mkdir(path.dirname(full), { recursive: true, mode: 0o755 });
    await fs.writeFile(full, data);
    await fs.chmod(full, mode);
  }
  await fs.mkdir(staging, { recursive: true, mode: 0o755 });
  await fs.rm(path.join(dir, target), { recursive: true, force: true });
  await fs.rename(staging, path.join(dir, target));

  const link = path.join(dir, `${DATA}_tmp`);
  await fs.rm(link, { force: true });
  await fs.symlink(target, link);
  await fs.rename(link, path.join(dir, DATA));

  const topLevel = new Set([...files.keys()].map((file) => file.split('/')[0]));
  for (const name of topLevel) {
    const entry = path.join(dir, name);
    if ((await readLink(entry)) !== path.join(DATA, name)) {
      await fs.rm(entry, { recursive: true, force: true });
      await fs.symlink(path.join(DATA, name), entry);
    }
  }
  for (const entry of await fs.readdir(dir)) {
    if (entry === DATA || entry === target) continue;
    if (entry.startsWith('..') || !topLevel.has(entry)) await fs.rm(path.join(dir, entry), { recursive: true, force: true });
  }
}
