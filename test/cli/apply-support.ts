/**
 * What the apply, diff, prune and delete tests share: a directory of manifests to edit between
 * runs, and small manifest builders. The berth process itself runs through BerthCli (berth.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { Obj } from '../../src/api/object';

export class ManifestDir {
  constructor(readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
  }

  /** Writes objects as a multi-document YAML file (or text as is); returns its path. */
  write(name: string, content: string | Obj[]): string {
    const file = path.join(this.dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof content === 'string' ? content : content.map((o) => YAML.stringify(o)).join('---\n'));
    return file;
  }

  remove(name: string): void {
    fs.rmSync(path.join(this.dir, name));
  }

  file(name: string): string {
    return path.join(this.dir, name);
  }
}

export const namespace = (name: string): Obj => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

export const configMap = (name: string, ns: string | undefined, data: Record<string, string> = { key: 'value' }, labels?: Record<string, string>): Obj => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(ns ? { namespace: ns } : {}), ...(labels ? { labels } : {}) },
  data,
});

export const secret = (name: string, ns: string): Obj => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns }, stringData: { password: 'hunter2' } });

export function deployment(name: string, ns: string, options: { replicas?: number; image?: string; progressDeadlineSeconds?: number; cpu?: string } = {}): Obj {
  const container: Record<string, unknown> = { name: 'app', image: options.image ?? 'berth-test/busybox:1.35' };
  if (options.cpu) container.resources = { requests: { cpu: options.cpu } };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas: options.replicas ?? 1,
      ...(options.progressDeadlineSeconds ? { progressDeadlineSeconds: options.progressDeadlineSeconds } : {}),
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [container] } },
    },
  };
}

export const service = (name: string, ns: string, selector: Record<string, string>): Obj => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: ns },
  spec: { selector, ports: [{ port: 80, targetPort: 8080 }] },
});

/** The lines of a command's output, trimmed, without blanks. */
export const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter(Boolean);

/** The 1-based line of the first line of `file` that contains `text`. */
export function lineOf(file: string, text: string): number {
  const index = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text));
  if (index < 0) throw new Error(`${file} has no line with ${text}`);
  return index + 1;
}

/** Resolves true when `read` fails with NotFound. */
export async function absent(read: Promise<unknown>): Promise<boolean> {
  try {
    await read;
    return false;
  } catch (e) {
    if ((e as { code?: number }).code === 404) return true;
    throw e;
  }
}
