/**
 * `berth delete`: the objects of manifests (-f), or named as KIND NAME / KIND/NAME, deleted with
 * a cascade policy (background: dependents go after; foreground: dependents first, the object
 * last; orphan: dependents stay), then — unless --wait=false — waited for until they are gone
 * (or replaced by a new object of the same name, as kubectl counts it).
 *
 * Manifests are deleted in the reverse of apply order: objects, then CRDs, then namespaces.
 * Each delete carries the uid read just before it, so an object re-created in between is not
 * deleted by mistake.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { isConflict, isNotFound, unlessNotFound } from '../../api/errors';
import type { Client, KindRef } from '../../client';
import { CommandError, ExitCode } from '../exit';
import { describeSource } from '../manifests';
import { parseTargets, ResourceTypes } from '../resolve';
import type { ObjectIdentity } from './identity';
import { readInput } from './input';
import type { ApplyReport, ObjectResult } from './report';
import type { Terminal } from './run-apply';
import { NamespaceChoice, resolveTarget } from './targets';

export type Cascade = 'Background' | 'Foreground' | 'Orphan';

export interface DeleteSettings {
  files: string[];
  recursive: boolean;
  /** KIND NAME... or KIND/NAME... when no -f is given. */
  args: string[];
  namespace: NamespaceChoice;
  cascade: Cascade;
  wait: boolean;
  timeoutMs: number;
  ignoreNotFound: boolean;
  dryRun: boolean;
  output?: 'json';
}

interface Doomed {
  ref: KindRef;
  identity: ObjectIdentity;
  source?: string;
}

/** `deployments.apps "web"`, as kubectl words deletes. */
function quoted(d: Doomed): string {
  return `${d.ref.group ? `${d.ref.plural}.${d.ref.group}` : d.ref.plural} "${d.identity.name}"`;
}

async function fromManifests(client: Client, settings: DeleteSettings, terminal: Terminal): Promise<Doomed[]> {
  const input = readInput(settings.files, settings.recursive, terminal.readStdin);
  const out: Doomed[] = [];
  for (const manifest of [...input.manifests].reverse()) {
    const target = await resolveTarget(client, manifest, settings.namespace, input, terminal.signal);
    out.push({ ref: target.ref, identity: target.identity, source: describeSource(manifest.source) });
  }
  return out;
}

async function fromArguments(client: Client, settings: DeleteSettings, types: () => Promise<ResourceTypes>): Promise<Doomed[]> {
  const out: Doomed[] = [];
  for (const target of parseTargets(settings.args, await types())) {
    if (target.names.length === 0) throw new CommandError(`name the ${target.type.plural} to delete (berth delete ${target.type.plural} NAME), or give their manifests with -f`, ExitCode.badInput);
    for (const name of target.names) {
      out.push({ ref: target.type, identity: { group: target.type.group, kind: target.type.kind, namespace: target.type.namespaced ? settings.namespace.namespace : undefined, name } });
    }
  }
  return out;
}

export async function runDelete(client: Client, settings: DeleteSettings, terminal: Terminal, types: () => Promise<ResourceTypes>): Promise<number> {
  const started = Date.now();
  const json = settings.output === 'json';
  if (settings.files.length > 0 && settings.args.length > 0) throw new CommandError('give either -f manifests or KIND NAME arguments, not both', ExitCode.badInput);
  if (settings.files.length === 0 && settings.args.length === 0) throw new CommandError('say what to delete: -f FILE|DIR|- or KIND NAME (e.g. berth delete deployment web)', ExitCode.badInput);
  const doomed = settings.files.length > 0 ? await fromManifests(client, settings, terminal) : await fromArguments(client, settings, types);
  const say = (line: string) => (json ? undefined : terminal.stdout.write(`${line}\n`));
  const results: ObjectResult[] = [];
  const errors: string[] = [];
  const pending: Array<{ doomed: Doomed; uid: string; result: ObjectResult }> = [];

  for (const d of doomed) {
    const resource = client.resource(d.ref, d.identity.namespace);
    const result: ObjectResult = { apiVersion: `${d.ref.group ? `${d.ref.group}/` : ''}${d.ref.version}`, kind: d.ref.kind, namespace: d.identity.namespace, name: d.identity.name, source: d.source, action: 'deleted' };
    try {
      const live = await resource.get(d.identity.name, { signal: terminal.signal });
      result.uid = live.metadata.uid;
      await resource.delete(d.identity.name, { propagationPolicy: settings.cascade, preconditions: { uid: live.metadata.uid }, dryRun: settings.dryRun, signal: terminal.signal });
      say(`${quoted(d)} deleted${settings.dryRun ? ' (server dry run)' : ''}`);
      if (!settings.dryRun) pending.push({ doomed: d, uid: live.metadata.uid ?? '', result });
    } catch (e) {
      if (isNotFound(e) || isConflict(e)) {
        result.action = 'not-found';
        if (!settings.ignoreNotFound) errors.push(`${quoted(d)} not found${d.identity.namespace ? ` in namespace ${d.identity.namespace}` : ''}`);
      } else {
        throw e;
      }
    }
    results.push(result);
  }

  if (settings.wait && pending.length > 0) {
    const deadline = Date.now() + settings.timeoutMs;
    for (const p of pending) {
      const left = await untilGone(client, p.doomed, p.uid, deadline, terminal.signal);
      p.result.state = left ? 'timeout' : 'gone';
      if (left) errors.push(`${quoted(p.doomed)} is still there after ${Math.round(settings.timeoutMs / 1000)}s: ${left}`);
    }
  }

  const exitCode = errors.length > 0 ? ExitCode.failed : ExitCode.ok;
  for (const e of errors) terminal.stderr.write(`error: ${e}\n`);
  if (json) {
    const report: ApplyReport = { apiVersion: 'berth.dev/v1', kind: 'DeleteResult', dryRun: settings.dryRun, applySet: null, objects: results, pruned: [], errors, exitCode, durationMs: Date.now() - started };
    terminal.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  }
  return exitCode;
}

/** Resolves undefined once the object is gone (or replaced), else what still holds it at the deadline. */
async function untilGone(client: Client, d: Doomed, uid: string, deadline: number, signal?: AbortSignal): Promise<string | undefined> {
  const resource = client.resource(d.ref, d.identity.namespace);
  for (;;) {
    const obj = await unlessNotFound(resource.get(d.identity.name, { signal }));
    if (!obj || obj.metadata.uid !== uid) return undefined;
    const finalizers = obj.metadata.finalizers ?? [];
    const holding = finalizers.length > 0 ? `waiting for finalizers ${finalizers.join(', ')}` : 'not deleted yet';
    if (Date.now() >= deadline || signal?.aborted) return holding;
    await delay(200, undefined, { signal }).catch(() => undefined);
  }
}
