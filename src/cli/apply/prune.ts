/**
 * Prune by membership: of the members the apply set recorded, those whose manifests are gone
 * are deleted — and only when the object on the server is still that member: it exists, its
 * uid is the recorded one, and it carries the set's part-of label. Anything else is left alone
 * (and dropped from the record when it is no longer the member). The delete itself carries the
 * uid as a precondition, so an object replaced in between is not touched either.
 */
import { isConflict, isNotFound, unlessNotFound } from '../../api/errors';
import type { Obj } from '../../api/object';
import type { Client, KindRef } from '../../client';
import { errorMessage } from '../../log';
import { applySetLabels, Member } from './apply-set';
import { identityKey } from './identity';

export type PruneVerdict =
  /** Deleted (or, under a dry run, would be). */
  | 'prune'
  /** Already gone or being deleted: nothing to do, and no longer a member. */
  | 'gone'
  /** On the server but no longer the recorded member (other uid, no label): left alone, dropped from the record. */
  | 'not-member'
  /** Could not be checked or deleted (kind not served, server error): left alone, kept in the record to try again. */
  | 'kept';

export interface PruneItem {
  member: Member;
  verdict: PruneVerdict;
  reason?: string;
}

/** Deletion order: namespaced objects, then cluster-scoped ones, then CRDs, then namespaces. */
function order(m: Member): number {
  if (m.group === '' && m.kind === 'Namespace') return 3;
  if (m.group === 'apiextensions.k8s.io' && m.kind === 'CustomResourceDefinition') return 2;
  return m.namespace ? 0 : 1;
}

/** The recorded members that the current manifests no longer name, in deletion order. */
export function pruneCandidates(recorded: Member[], current: Set<string>): Member[] {
  return recorded.filter((m) => !current.has(identityKey(m))).sort((a, b) => order(a) - order(b));
}

async function check(client: Client, member: Member, setId: string, signal?: AbortSignal): Promise<{ item: PruneItem; ref?: KindRef }> {
  let ref: KindRef;
  try {
    ref = await client.discover(member.apiVersion, member.kind, { signal });
  } catch (e) {
    if (isNotFound(e)) return { item: { member, verdict: 'gone', reason: `its kind is no longer served (${member.apiVersion} ${member.kind})` } };
    throw e;
  }
  const live = await unlessNotFound<Obj>(client.resource(ref, member.namespace).get(member.name, { signal }));
  if (!live) return { item: { member, verdict: 'gone', reason: 'already deleted' } };
  if (live.metadata.uid !== member.uid) return { item: { member, verdict: 'not-member', reason: `it was replaced outside the set (uid ${live.metadata.uid}, recorded ${member.uid})` } };
  if (live.metadata.labels?.[applySetLabels.partOf] !== setId) return { item: { member, verdict: 'not-member', reason: `it no longer carries the label ${applySetLabels.partOf}=${setId}` } };
  if (live.metadata.deletionTimestamp) return { item: { member, verdict: 'gone', reason: 'already being deleted' } };
  return { item: { member, verdict: 'prune' }, ref };
}

export interface PruneOptions {
  setId: string;
  dryRun: boolean;
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  signal?: AbortSignal;
  /** Called with each candidate once it is decided, before the next one (to show progress). */
  onItem?(item: PruneItem): void;
}

/** Checks each candidate and deletes the ones that are still the recorded members. */
export async function prune(client: Client, candidates: Member[], options: PruneOptions): Promise<PruneItem[]> {
  const items: PruneItem[] = [];
  for (const member of candidates) {
    let item: PruneItem;
    try {
      const checked = await check(client, member, options.setId, options.signal);
      item = checked.item;
      if (checked.ref) {
        await client.resource(checked.ref, member.namespace).delete(member.name, {
          preconditions: { uid: member.uid },
          propagationPolicy: options.propagationPolicy ?? 'Background',
          dryRun: options.dryRun,
          signal: options.signal,
        });
      }
    } catch (e) {
      if (isNotFound(e)) item = { member, verdict: 'gone', reason: 'already deleted' };
      else if (isConflict(e)) item = { member, verdict: 'not-member', reason: 'it was replaced outside the set while pruning (uid precondition failed)' };
      else item = { member, verdict: 'kept', reason: errorMessage(e) };
    }
    items.push(item);
    options.onItem?.(item);
  }
  return items;
}
