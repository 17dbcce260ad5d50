/**
 * `berth apply`, start to end:
 *
 *   read -f ─► (apply set: read the record, write the superset parent)
 *     ─► for each manifest, Namespaces and CRDs first: resolve kind ─► server-side apply
 *        (a CRD: wait until Established before the objects of its kind)
 *     ─► prune (members gone from the files) ─► write the exact record ─► wait until ready
 *
 * A manifest the server refuses does not stop the others, as with kubectl; but then nothing is
 * pruned, and nothing is waited for: the run ends with the errors (exit 4 for bad input).
 */
import path from 'node:path';
import type { Client } from '../../client';
import { CommandError, ExitCode } from '../exit';
import { describeSource } from '../manifests';
import { Applied, applyObject, waitEstablished } from './apply-objects';
import { applySetRef, ApplySetRef, defaultParentNamespace, deriveSetName, Member, readApplySet, RecordedSet, writeApplySet } from './apply-set';
import { describeObject, groupKind, identityKey, identityOf } from './identity';
import { readInput } from './input';
import { prune, pruneCandidates, PruneItem } from './prune';
import { ProgressRow, ProgressView } from './progress-view';
import type { ApplyReport, ObjectResult } from './report';
import { resolveTarget, NamespaceChoice } from './targets';
import { waitForReady, WaitProgress } from './waiter';
import type { WaitRules } from './tracker';

export interface ApplySettings {
  files: string[];
  recursive: boolean;
  namespace: NamespaceChoice;
  wait: boolean;
  timeoutMs: number;
  dryRun: boolean;
  prune: boolean;
  /** --applyset NAME; derived from the files when pruning without it. */
  applySet?: string;
  force: boolean;
  output?: 'json';
  rules?: WaitRules;
}

export interface Terminal {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readStdin?: () => string;
  signal?: AbortSignal;
}

const crdKind = 'apiextensions.k8s.io/CustomResourceDefinition';

function sourcesOf(files: string[]): string[] {
  return files.map((f) => (f === '-' ? '-' : path.normalize(f).replace(/\/+$/, '') || '.'));
}

function member(applied: Applied): Member {
  return { ...applied.target.identity, apiVersion: applied.object.apiVersion ?? applied.target.body.apiVersion!, uid: applied.object.metadata.uid ?? '' };
}

export async function runApply(client: Client, settings: ApplySettings, terminal: Terminal): Promise<number> {
  const started = Date.now();
  const json = settings.output === 'json';
  const say = (line: string) => {
    if (!json) terminal.stdout.write(`${line}\n`);
  };
  const input = readInput(settings.files, settings.recursive, terminal.readStdin);
  const suffix = settings.dryRun ? ' (server dry run)' : '';

  let set: ApplySetRef | undefined;
  let recorded: RecordedSet | undefined;
  if (settings.prune || settings.applySet) {
    const name = settings.applySet ?? deriveSetName(settings.files);
    set = applySetRef(name, settings.namespace.explicit ? settings.namespace.namespace : defaultParentNamespace, !settings.applySet);
    recorded = await readApplySet(client, set, terminal.signal);
    const sources = sourcesOf(settings.files);
    if (set.derived && settings.prune && recorded.sources.length > 0 && recorded.sources.join(',') !== sources.join(',')) {
      throw new CommandError(
        `the apply set "${set.name}" (ConfigMap ${set.namespace}/${set.name}) was last applied from ${recorded.sources.join(', ')}, not ${sources.join(', ')}; ` +
          'to prune it from here, name it with --applyset ' + set.name,
        ExitCode.badInput,
      );
    }
    say(`apply set "${set.name}" (configmap ${set.namespace}/${set.name}, id ${set.id})${recorded.exists ? '' : ' is new'}`);
    if (!settings.dryRun) {
      const identities = input.manifests.map((m) => identityOf(m.object));
      await writeApplySet(client, set, {
        members: recorded.members,
        groupKinds: [...recorded.groupKinds, ...identities.map(groupKind)],
        namespaces: [...recorded.namespaces, ...identities.map((i) => i.namespace ?? settings.namespace.namespace)],
        sources,
      }, { signal: terminal.signal });
    }
  }

  const applied: Applied[] = [];
  const errors: CommandError[] = [];
  const dryRunCrds = new Set<string>();
  /** What the files name: never prune candidates, even when they could not be applied this time. */
  const named = new Set<string>();
  for (const manifest of input.manifests) {
    const { object } = manifest;
    const group = (object.apiVersion ?? '').includes('/') ? object.apiVersion!.split('/')[0] : '';
    if (settings.dryRun && dryRunCrds.has(`${group}/${object.kind}`)) {
      // Its scope is unknown until the CRD exists: either form of its key is named.
      const id = identityOf(object);
      named.add(identityKey({ ...id, namespace: id.namespace ?? settings.namespace.namespace })).add(identityKey({ ...id, namespace: undefined }));
      say(`${describeSource(manifest.source)}: ${object.kind} "${object.metadata.name}" skipped: its CustomResourceDefinition is only applied as a dry run`);
      continue;
    }
    try {
      const target = await resolveTarget(client, manifest, settings.namespace, input, terminal.signal);
      named.add(identityKey(target.identity));
      const result = await applyObject(client, target, input, { force: settings.force, dryRun: settings.dryRun, setId: set?.id, signal: terminal.signal });
      applied.push(result);
      say(`${describeObject(target.identity, settings.namespace.namespace)} ${result.action}${suffix}`);
      if (`${target.ref.group}/${target.ref.kind}` === crdKind) {
        const spec = object.spec as { group?: string; names?: { kind?: string } } | undefined;
        // A new CRD under a dry run is not served: the objects of its kind cannot be checked.
        if (settings.dryRun && result.action === 'created') dryRunCrds.add(`${spec?.group ?? ''}/${spec?.names?.kind ?? ''}`);
        else await waitEstablished(client, target, 30_000, terminal.signal);
      }
    } catch (e) {
      if (!(e instanceof CommandError)) throw e;
      errors.push(e);
    }
  }

  let pruned: PruneItem[] = [];
  if (set && recorded && settings.prune) {
    if (errors.length > 0) {
      terminal.stderr.write(`not pruning: ${errors.length} manifest${errors.length === 1 ? '' : 's'} failed to apply\n`);
    } else {
      pruned = await prune(client, pruneCandidates(recorded.members, named), {
        setId: set.id,
        dryRun: settings.dryRun,
        signal: terminal.signal,
        onItem: (item) => say(pruneLine(item, settings.namespace.namespace, suffix)),
      });
    }
  }

  if (set && recorded && !settings.dryRun) {
    const appliedKeys = new Set(applied.map((a) => identityKey(a.target.identity)));
    const dropped = new Set(pruned.filter((p) => p.verdict !== 'kept').map((p) => identityKey(p.member)));
    // Members not applied this time stay recorded unless prune settled them: a failed apply or a
    // run without --prune must not forget what the set owns.
    const kept = recorded.members.filter((m) => !appliedKeys.has(identityKey(m)) && !dropped.has(identityKey(m)));
    await writeApplySet(client, set, { members: [...applied.map(member), ...kept], sources: sourcesOf(settings.files) }, { signal: terminal.signal });
  }

  let waited: WaitProgress[] | undefined;
  if (settings.wait && !settings.dryRun && errors.length === 0 && applied.length > 0) {
    const stream = json ? terminal.stderr : terminal.stdout;
    const view = new ProgressView(stream, Boolean(stream.isTTY));
    const names = applied.map((a) => describeObject(a.target.identity, settings.namespace.namespace));
    const rows = (progress: WaitProgress[]): ProgressRow[] => progress.map((p, i) => ({ name: names[i], action: applied[i].action, progress: p }));
    let last: WaitProgress[] = [];
    const ticker = stream.isTTY ? setInterval(() => last.length > 0 && view.render(rows(last)), 100) : undefined;
    try {
      waited = await waitForReady(
        client,
        applied.map((a) => ({ identity: a.target.identity, ref: a.target.ref })),
        {
          timeoutMs: settings.timeoutMs,
          rules: settings.rules,
          signal: terminal.signal,
          onProgress: (progress) => {
            last = progress;
            view.render(rows(progress));
          },
        },
      );
    } finally {
      if (ticker) clearInterval(ticker);
    }
    view.render(rows(waited), true);
  }

  let exitCode = errors.reduce((code, e) => Math.max(code, e.exitCode), 0);
  if (pruned.some((p) => p.verdict === 'kept')) exitCode = Math.max(exitCode, ExitCode.failed);
  if (waited) {
    if (waited.some((w) => w.state === 'failed' || w.state === 'timeout')) exitCode = Math.max(exitCode, ExitCode.failed);
    if (waited.some((w) => w.state === 'unschedulable')) exitCode = Math.max(exitCode, ExitCode.unschedulable);
  }

  for (const e of errors) terminal.stderr.write(`error: ${e.message}\n`);
  if (waited && !json) say(waitSummary(waited, applied.map((a) => describeObject(a.target.identity, settings.namespace.namespace)), Date.now() - started));
  if (json) {
    const report: ApplyReport = {
      apiVersion: 'berth.dev/v1',
      kind: 'ApplyResult',
      dryRun: settings.dryRun,
      applySet: set ? { name: set.name, namespace: set.namespace, id: set.id } : null,
      objects: applied.map((a, i) => objectResult(a, waited?.[i])),
      pruned: pruned.map((p) => ({ apiVersion: p.member.apiVersion, kind: p.member.kind, namespace: p.member.namespace, name: p.member.name, uid: p.member.uid, verdict: p.verdict, reason: p.reason })),
      errors: errors.map((e) => e.message),
      exitCode,
      durationMs: Date.now() - started,
    };
    terminal.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  }
  return exitCode;
}

function objectResult(a: Applied, w: WaitProgress | undefined): ObjectResult {
  const { identity } = a.target;
  return {
    apiVersion: a.object.apiVersion ?? a.target.body.apiVersion ?? '',
    kind: identity.kind,
    namespace: identity.namespace,
    name: identity.name,
    uid: a.object.metadata.uid,
    source: describeSource(a.target.manifest.source),
    action: a.action,
    ...(w ? { state: w.state, summary: w.summary, reason: w.reason } : {}),
  };
}

function pruneLine(item: PruneItem, namespace: string, suffix: string): string {
  const name = describeObject(item.member, namespace);
  switch (item.verdict) {
    case 'prune':
      return `${name} pruned${suffix}`;
    case 'gone':
      return `${name} already gone (${item.reason})`;
    case 'not-member':
      return `${name} not pruned: ${item.reason}`;
    case 'kept':
      return `${name} not pruned, kept in the set to try again: ${item.reason}`;
  }
}

function waitSummary(waited: WaitProgress[], names: string[], ms: number): string {
  const count = (state: string) => waited.filter((w) => w.state === state).length;
  const seconds = `${(ms / 1000).toFixed(1)}s`;
  if (count('ready') === waited.length) return `all ${waited.length} object${waited.length === 1 ? '' : 's'} ready after ${seconds}`;
  const parts = [
    [count('ready'), 'ready'],
    [count('failed'), 'failed'],
    [count('timeout'), 'timed out'],
    [count('unschedulable'), 'cannot be scheduled'],
  ]
    .filter(([n]) => n)
    .map(([n, w]) => `${n} ${w}`);
  const reasons = waited.map((w, i) => (w.reason ? `\n  ${names[i]}: ${w.reason}` : '')).filter(Boolean);
  return `${parts.join(', ')} after ${seconds}${reasons.join('')}`;
}

