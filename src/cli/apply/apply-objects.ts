/**
 * Applying one object: server-side apply as field manager `berth`, and what it did — created
 * (nothing there before), configured (the server's copy changed) or unchanged (the same
 * resourceVersion, or the same object once server-set fields are taken away).
 *
 * Apply-set membership travels in a label. An object that already belongs to a set keeps its
 * label when applied without one, and is never moved from another set into this one.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { unlessNotFound } from '../../api/errors';
import type { Obj } from '../../api/object';
import type { Client } from '../../client';
import { deepEqual } from '../../util/json';
import { CommandError, ExitCode } from '../exit';
import { applySetLabels } from './apply-set';
import type { ManifestInput } from './input';
import { withoutServerFields } from './normalize';
import type { Target } from './targets';
import { explainWriteError, fieldError, locate } from './write-errors';

export type Action = 'created' | 'configured' | 'unchanged';

export interface Applied {
  target: Target;
  action: Action;
  /** The object as the server answered the apply. */
  object: Obj;
}

export interface ApplyObjectOptions {
  /** Take over fields other managers own (kubectl's --force-conflicts). */
  force: boolean;
  dryRun: boolean;
  /** The id of the apply set the object joins, if any. */
  setId?: string;
  signal?: AbortSignal;
}

export const fieldManager = 'berth';

/** The body to send: the manifest with its apply-set label settled. */
export function applyBody(target: Target, live: Obj | undefined, input: Pick<ManifestInput, 'text'>, setId: string | undefined): Obj {
  const labels = { ...target.body.metadata.labels };
  const current = live?.metadata.labels?.[applySetLabels.partOf];
  if (setId) {
    if (target.manifest.object.metadata.labels?.[applySetLabels.partOf] !== undefined) {
      throw fieldError(target.manifest, input, `metadata.labels[${applySetLabels.partOf}]`, 'the apply set label is set by berth; remove it from the manifest');
    }
    if (current && current !== setId) {
      throw new CommandError(
        `${locate(target.manifest, input)}: ${target.identity.kind} "${target.identity.name}" belongs to another apply set (label ${applySetLabels.partOf}=${current}); berth will not move it into this one. Remove it from the other set's files and apply that set with --prune first`,
        ExitCode.failed,
      );
    }
    labels[applySetLabels.partOf] = setId;
  } else if (current && labels[applySetLabels.partOf] === undefined) {
    labels[applySetLabels.partOf] = current;
  }
  const metadata = { ...target.body.metadata };
  if (Object.keys(labels).length > 0) metadata.labels = labels;
  return { ...target.body, metadata };
}

export async function applyObject(client: Client, target: Target, input: Pick<ManifestInput, 'text'>, options: ApplyObjectOptions): Promise<Applied> {
  if (!target.body.metadata.name) throw fieldError(target.manifest, input, 'metadata.name', 'apply needs a name; generateName works only with create');
  const resource = client.resource(target.ref, target.identity.namespace);
  const live = await unlessNotFound(resource.get(target.identity.name, { signal: options.signal })).catch((e) => {
    throw explainWriteError(e, target.manifest, input);
  });
  const body = applyBody(target, live, input, options.setId);
  let object: Obj;
  try {
    object = await resource.apply(body, { fieldManager, force: options.force, dryRun: options.dryRun, fieldValidation: 'Strict', signal: options.signal });
  } catch (e) {
    throw explainWriteError(e, target.manifest, input);
  }
  // Unchanged: the same resourceVersion, or nothing but server-set fields moved (a dry run keeps
  // the old version; a write of bookkeeping only, such as the server recording field ownership
  // for the first time, moves it).
  let action: Action;
  if (!live) action = 'created';
  else if (!options.dryRun && live.metadata.resourceVersion === object.metadata.resourceVersion) action = 'unchanged';
  else action = deepEqual(withoutServerFields(live), withoutServerFields(object)) ? 'unchanged' : 'configured';
  return { target, action, object };
}

/** Waits until a CustomResourceDefinition is Established, so that objects of its kind can be applied. */
export async function waitEstablished(client: Client, target: Target, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const resource = client.resource(target.ref);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const crd = await resource.get(target.identity.name, { signal });
    const conditions = ((crd.status as { conditions?: Array<{ type: string; status: string; message?: string }> } | undefined)?.conditions ?? []);
    if (conditions.some((c) => c.type === 'Established' && c.status === 'True')) return;
    if (Date.now() > deadline) {
      const why = conditions.find((c) => c.status !== 'True')?.message;
      throw new CommandError(`CustomResourceDefinition ${target.identity.name} was not Established within ${Math.round(timeoutMs / 1000)} s${why ? `: ${why}` : ''}`);
    }
    await delay(100, undefined, { signal });
  }
}
