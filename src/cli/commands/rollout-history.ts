/**
 * `rollout history` and `rollout undo` for Deployments, as kubectl does them (K8S-WIRE §8.2,
 * §8.3): the history is the revisions of the Deployment's ReplicaSets with their change-cause;
 * an undo finds the ReplicaSet of the revision asked for (default: the one before the latest)
 * and sends its template back with a JSON patch, with the annotations the Deployment keeps for
 * itself left as they are. The controller does the rest, as for any template change.
 */
import type { Deployment, ReplicaSet } from '../../api/types';
import type { Client } from '../../client';
import { kinds } from '../../client';
import { CommandError } from '../exit';
import { describePodTemplate } from '../output/describe/pod';
import { DescribeWriter } from '../output/describe/writer';
import { alignColumns, describeOptions } from '../output/tab-writer';
import { changeCauseAnnotation, hashLabel, ownAnnotations, replicaSetsOf, revisionOf, sameTemplate } from './rollout-revisions';

/** The revisions of a Deployment, oldest first. */
export async function revisions(client: Client, deployment: Deployment): Promise<Array<{ revision: number; replicaSet: ReplicaSet }>> {
  const { all } = await replicaSetsOf(client, deployment);
  return all.map((replicaSet) => ({ revision: revisionOf(replicaSet), replicaSet })).sort((a, b) => a.revision - b.revision);
}

/** `REVISION  CHANGE-CAUSE` rows, or with `revision` that revision's pod template. */
export async function historyText(client: Client, deployment: Deployment, revision?: number): Promise<string> {
  const history = await revisions(client, deployment);
  if (revision !== undefined && revision > 0) {
    const found = history.find((h) => h.revision === revision);
    if (!found) throw new CommandError(`unable to find the specified revision ${revision}`);
    // kubectl shows the template with the ReplicaSet's change-cause, its tabs left unaligned.
    const template = structuredClone(found.replicaSet.spec?.template ?? {});
    const cause = found.replicaSet.metadata.annotations?.[changeCauseAnnotation];
    if (cause) template.metadata = { ...template.metadata, annotations: { ...template.metadata?.annotations, [changeCauseAnnotation]: cause } };
    const w = new DescribeWriter({ aligned: false });
    describePodTemplate(w, template);
    return w.toString();
  }
  const rows = history.map((h) => `${h.revision}\t${h.replicaSet.metadata.annotations?.[changeCauseAnnotation] || '<none>'}\n`);
  return alignColumns(`REVISION\tCHANGE-CAUSE\n${rows.join('')}`, describeOptions);
}

/** The ReplicaSet to roll back to: revision `to`, or the second newest. */
function target(deployment: Deployment, history: Array<{ revision: number; replicaSet: ReplicaSet }>, to: number): ReplicaSet {
  if (to > 0) {
    const found = history.find((h) => h.revision === to);
    if (!found) throw new CommandError(`unable to find specified revision ${to} in history`);
    return found.replicaSet;
  }
  if (history.length < 2) throw new CommandError(`no rollout history found for deployment "${deployment.metadata.name}"`);
  return history[history.length - 2].replicaSet;
}

/** Rolls back; the words kubectl prints after the object's name: `rolled back` or why it skipped. */
export async function undo(client: Client, deployment: Deployment, to = 0): Promise<string> {
  if (deployment.spec?.paused) throw new CommandError("you cannot rollback a paused deployment; resume it first with 'berth rollout resume' and try again");
  const history = await revisions(client, deployment);
  const replicaSet = target(deployment, history, to);
  if (sameTemplate(replicaSet.spec?.template, deployment.spec?.template)) {
    return `skipped rollback (current template already matches revision ${revisionOf(replicaSet)})`;
  }
  const template = structuredClone(replicaSet.spec!.template!);
  if (template.metadata?.labels) delete template.metadata.labels[hashLabel];
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(deployment.metadata.annotations ?? {})) if (ownAnnotations.has(k)) annotations[k] = v;
  for (const [k, v] of Object.entries(replicaSet.metadata.annotations ?? {})) if (!ownAnnotations.has(k)) annotations[k] = v;
  const patch = [
    { op: 'replace', path: '/spec/template', value: template },
    { op: 'replace', path: '/metadata/annotations', value: annotations },
  ];
  try {
    await client.resource(kinds.Deployment, deployment.metadata.namespace).patch(deployment.metadata.name!, 'json', patch);
  } catch (e) {
    throw new CommandError(`failed restoring revision ${to || revisionOf(replicaSet)}: ${(e as Error).message}`);
  }
  return 'rolled back';
}
