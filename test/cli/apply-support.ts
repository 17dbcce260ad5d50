/**
 * What the apply, diff, prune and delete tests share: a directory of manifests to edit between
 * runs, and small manifest builders. The berth process itself runs through BerthCli (berth.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { Obj } from '../../src/api/object';
import type { Pod } from '../../src/api/types';
import { Client, Informer, kinds } from '../../src/client';

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

/** What the stand-in kubelet does with a pod once it is bound: run it to Ready, fail it, or leave it pending. */
export type PodFate = 'ready' | 'fail' | 'pending';

/**
 * A stand-in for the node agent, for tests without Docker: every pod bound to a node gets the
 * status an agent would report for it — Running and Ready (with a pod IP), or Failed (exit 1).
 * Stops when `signal` aborts.
 */
export function standInKubelet(client: Client, fate: (pod: Pod) => PodFate, signal: AbortSignal): void {
  const pods = new Informer<Pod>(client.resource(kinds.Pod));
  const done = new Set<string>();
  let ip = 10;
  const act = (pod: Pod) => {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}/${pod.metadata.uid}`;
    const what = fate(pod);
    if (!pod.spec?.nodeName || pod.metadata.deletionTimestamp || what === 'pending' || done.has(key)) return;
    done.add(key);
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const containers = pod.spec.containers ?? [];
    const status =
      what === 'ready'
        ? {
            phase: 'Running',
            podIP: `10.244.0.${ip++}`,
            startTime: now,
            conditions: ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map((type) => ({ type, status: 'True', lastTransitionTime: now })),
            containerStatuses: containers.map((c) => ({ name: c.name, image: c.image, imageID: c.image, ready: true, started: true, restartCount: 0, state: { running: { startedAt: now } } })),
          }
        : {
            phase: 'Failed',
            startTime: now,
            conditions: [{ type: 'Ready', status: 'False', reason: 'PodFailed', lastTransitionTime: now }],
            containerStatuses: containers.map((c) => ({ name: c.name, image: c.image, imageID: c.image, ready: false, restartCount: 0, state: { terminated: { exitCode: 1, reason: 'Error', finishedAt: now } } })),
          };
    client
      .resource(kinds.Pod, pod.metadata.namespace)
      .patch(pod.metadata.name!, 'merge', { status }, { subresource: 'status', fieldManager: 'stand-in-kubelet', signal })
      .catch(() => done.delete(key));
  };
  pods.addHandler({ onAdd: act, onUpdate: (_old, pod) => act(pod) });
  pods.start(signal);
}
