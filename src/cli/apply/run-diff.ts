/**
 * `berth diff`: what applying the manifests would change, field by field. Each object is applied
 * as a server dry run (as `berth apply --force-conflicts` would apply it, apply-set label
 * included) and compared with the live object once the fields the server sets on its own are
 * taken away (identity, versions, timestamps, managedFields, status). Defaults the server fills
 * in are in both versions, so they never show; a new object shows only what its manifest says.
 *
 * Exit codes, as kubectl diff: 0 no differences · 1 differences · 2 an error · 4 a bad manifest.
 */
import { unlessNotFound } from '../../api/errors';
import type { Obj } from '../../api/object';
import type { Client } from '../../client';
import { CommandError, ExitCode } from '../exit';
import { toYaml } from '../output/objects';
import { applyBody, fieldManager } from './apply-objects';
import { applySetRef, defaultParentNamespace, deriveSetName, readApplySet } from './apply-set';
import { fieldChanges, formatChanges, restrictTo } from './field-diff';
import { describeObject, identityKey } from './identity';
import { readInput } from './input';
import { withoutServerFields } from './normalize';
import { prune, pruneCandidates } from './prune';
import type { Terminal } from './run-apply';
import { NamespaceChoice, resolveTarget, Target } from './targets';
import { explainWriteError } from './write-errors';

export interface DiffSettings {
  files: string[];
  recursive: boolean;
  namespace: NamespaceChoice;
  /** Also show the members of the apply set that `apply --prune` would delete. */
  prune: boolean;
  applySet?: string;
}

export const DiffExit = { same: 0, different: 1, error: 2 } as const;

const crdKind = 'CustomResourceDefinition';

export async function runDiff(client: Client, settings: DiffSettings, terminal: Terminal): Promise<number> {
  const input = readInput(settings.files, settings.recursive, terminal.readStdin);
  const set = settings.prune || settings.applySet
    ? applySetRef(settings.applySet ?? deriveSetName(settings.files), settings.namespace.explicit ? settings.namespace.namespace : defaultParentNamespace, !settings.applySet)
    : undefined;
  // Kinds that a CRD among these manifests defines: their objects cannot be dry-run before it exists.
  const defined = new Set(
    input.manifests
      .filter((m) => m.object.kind === crdKind)
      .map((m) => {
        const spec = m.object.spec as { group?: string; names?: { kind?: string } } | undefined;
        return `${spec?.group ?? ''}/${spec?.names?.kind ?? ''}`;
      }),
  );
  let differences = 0;
  const targets: Target[] = [];
  const write = (text: string) => terminal.stdout.write(text);
  for (const manifest of input.manifests) {
    const group = (manifest.object.apiVersion ?? '').includes('/') ? manifest.object.apiVersion!.split('/')[0] : '';
    let target: Target;
    try {
      target = await resolveTarget(client, manifest, settings.namespace, input, terminal.signal);
    } catch (e) {
      if (!(e instanceof CommandError && defined.has(`${group}/${manifest.object.kind}`))) throw e;
      differences++;
      write(`${manifest.object.kind} "${manifest.object.metadata.name}" would be created (its CustomResourceDefinition is new)\n${prefixed(manifest.object, '+ ')}`);
      continue;
    }
    targets.push(target);
    const name = describeObject(target.identity, settings.namespace.namespace);
    const resource = client.resource(target.ref, target.identity.namespace);
    const live = await unlessNotFound(resource.get(target.identity.name, { signal: terminal.signal })).catch((e) => {
      throw explainWriteError(e, manifest, input);
    });
    const body = applyBody(target, live, input, set?.id);
    let result: Obj;
    try {
      result = await resource.apply(body, { fieldManager, force: true, dryRun: true, fieldValidation: 'Strict', signal: terminal.signal });
    } catch (e) {
      throw explainWriteError(e, manifest, input);
    }
    if (!live) {
      differences++;
      write(`${name} would be created\n${prefixed(restrictTo(withoutServerFields(result), body), '+ ')}`);
      continue;
    }
    const changes = fieldChanges(withoutServerFields(live), withoutServerFields(result));
    if (changes.length === 0) continue;
    differences++;
    write(`${name}\n${formatChanges(changes)}`);
  }

  if (set && settings.prune) {
    const recorded = await readApplySet(client, set, terminal.signal);
    const current = new Set(targets.map((t) => identityKey(t.identity)));
    const items = await prune(client, pruneCandidates(recorded.members, current), { setId: set.id, dryRun: true, signal: terminal.signal });
    for (const item of items.filter((i) => i.verdict === 'prune')) {
      differences++;
      write(`${describeObject(item.member, settings.namespace.namespace)} would be pruned\n`);
    }
  }
  return differences > 0 ? DiffExit.different : DiffExit.same;
}

function prefixed(value: unknown, prefix: string): string {
  return toYaml(value)
    .trimEnd()
    .split('\n')
    .map((l) => `${prefix}${l}\n`)
    .join('');
}

/** Errors end diff with 2, or 4 for bad input: never 1, which means "differences". */
export function diffError(e: unknown): CommandError {
  if (e instanceof CommandError && e.exitCode === ExitCode.badInput) return e;
  return new CommandError(e instanceof Error ? e.message : String(e), DiffExit.error);
}
