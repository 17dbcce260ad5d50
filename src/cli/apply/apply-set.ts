/**
 * The apply set: what one `berth apply --prune` of a directory owns on the server, so that the
 * next apply can delete exactly what was removed from the files.
 *
 * It follows kubectl's ApplySet conventions (KEP-3659), so kubectl sees the same set:
 *   parent  a ConfigMap, labelled  applyset.kubernetes.io/id=applyset-<base64url(sha256(
 *           <name>.<namespace>.ConfigMap.))>-v1, annotated with the tooling (berth/v<version>),
 *           the group-kinds it contains and the namespaces other than its own it reaches into;
 *   members labelled  applyset.kubernetes.io/part-of=<the same id>.
 * And it records more than kubectl does: the exact membership, every member's group, kind,
 * namespace, name and uid, in the parent's `members` data key. Prune goes by that record, so it
 * never guesses from labels (which anyone can copy onto an unrelated object).
 *
 * The parent lives in the namespace given with -n, else in kube-system, and is written with
 * server-side apply, as kubectl writes its parents.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { unlessNotFound } from '../../api/errors';
import type { Obj } from '../../api/object';
import { Client, kinds } from '../../client';
import { version } from '../../../package.json';
import { CommandError, ExitCode } from '../exit';
import { groupKind, ObjectIdentity } from './identity';

export const applySetLabels = {
  id: 'applyset.kubernetes.io/id',
  partOf: 'applyset.kubernetes.io/part-of',
} as const;

export const applySetAnnotations = {
  tooling: 'applyset.kubernetes.io/tooling',
  groupKinds: 'applyset.kubernetes.io/contains-group-kinds',
  additionalNamespaces: 'applyset.kubernetes.io/additional-namespaces',
  /** berth's own: the -f arguments the set was last applied from. */
  sources: 'berth.dev/applyset-sources',
} as const;

export const tooling = `berth/v${version}`;
export const membersKey = 'members';
/** Where a parent goes when -n does not say. */
export const defaultParentNamespace = 'kube-system';

export interface ApplySetRef {
  name: string;
  namespace: string;
  id: string;
  /** True when the name was derived from the -f arguments rather than given with --applyset. */
  derived: boolean;
}

/** A member as recorded: enough to find it again (apiVersion) and to know it is the same one (uid). */
export interface Member extends ObjectIdentity {
  apiVersion: string;
  uid: string;
}

export interface RecordedSet {
  /** False when the parent does not exist yet (the first apply of the set). */
  exists: boolean;
  members: Member[];
  groupKinds: string[];
  namespaces: string[];
  sources: string[];
}

/** kubectl's ID of a set whose parent is the ConfigMap `name` in `namespace`. */
export function applySetId(name: string, namespace: string): string {
  const hash = createHash('sha256').update([name, namespace, 'ConfigMap', ''].join('.')).digest('base64url');
  return `applyset-${hash}-v1`;
}

export function applySetRef(name: string, namespace: string, derived: boolean): ApplySetRef {
  return { name, namespace, id: applySetId(name, namespace), derived };
}

/**
 * The default set name: the base names of the -f arguments (`deploy/` → `deploy`, `app.yaml` →
 * `app`), joined, made into a valid ConfigMap name. Stdin has no name: it needs --applyset.
 */
export function deriveSetName(files: string[]): string {
  if (files.includes('-')) throw new CommandError('manifests from stdin have no name to derive an apply set from: name it with --applyset NAME', ExitCode.badInput);
  const base = files.map((f) => path.basename(path.resolve(f)).replace(/\.(ya?ml|json)$/i, '')).join('-');
  const name = base
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 253)
    .replace(/[-.]+$/g, '');
  if (!name) throw new CommandError(`cannot derive an apply set name from ${files.join(', ')}: name it with --applyset NAME`, ExitCode.badInput);
  return name;
}

function parseMembers(parent: Obj, ref: ApplySetRef): Member[] {
  const text = (parent.data as Record<string, string> | undefined)?.[membersKey];
  if (text === undefined || text.trim() === '') return [];
  const where = `ConfigMap ${ref.namespace}/${ref.name}, data.${membersKey}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CommandError(`${where} is not the JSON list of members berth writes; berth will not prune from a record it cannot read`);
  }
  if (!Array.isArray(parsed)) throw new CommandError(`${where} is not a list of members; berth will not prune from a record it cannot read`);
  return parsed.map((m, i) => {
    const ok = m && typeof m === 'object' && ['group', 'kind', 'name', 'apiVersion', 'uid'].every((k) => typeof m[k] === 'string') && (m.namespace === undefined || typeof m.namespace === 'string');
    if (!ok) throw new CommandError(`${where}[${i}] is not a member (group, kind, namespace, name, apiVersion, uid); berth will not prune from a record it cannot read`);
    return { group: m.group, kind: m.kind, namespace: m.namespace || undefined, name: m.name, apiVersion: m.apiVersion, uid: m.uid };
  });
}

const list = (text: string | undefined): string[] => (text ? text.split(',').filter(Boolean) : []);

/** The set as the server holds it; refuses a parent that is not a berth apply set of this name. */
export async function readApplySet(client: Client, ref: ApplySetRef, signal?: AbortSignal): Promise<RecordedSet> {
  const parent = await unlessNotFound<Obj>(client.resource(kinds.ConfigMap, ref.namespace).get(ref.name, { signal }));
  if (!parent) return { exists: false, members: [], groupKinds: [], namespaces: [], sources: [] };
  const where = `ConfigMap ${ref.namespace}/${ref.name}`;
  const id = parent.metadata.labels?.[applySetLabels.id];
  if (id !== ref.id) {
    throw new CommandError(
      `${where} exists but is not the parent of apply set "${ref.name}" (its label ${applySetLabels.id} is ${id ? `"${id}"` : 'missing'}, expected "${ref.id}"); choose another name with --applyset`,
      ExitCode.badInput,
    );
  }
  const annotations = parent.metadata.annotations ?? {};
  const tool = annotations[applySetAnnotations.tooling];
  if (tool && !tool.startsWith('berth/')) {
    throw new CommandError(`${where} is the parent of an apply set managed by ${tool}; berth leaves sets of other tools alone`, ExitCode.badInput);
  }
  return {
    exists: true,
    members: parseMembers(parent, ref),
    groupKinds: list(annotations[applySetAnnotations.groupKinds]),
    namespaces: list(annotations[applySetAnnotations.additionalNamespaces]),
    sources: list(annotations[applySetAnnotations.sources]),
  };
}

export interface SetContent {
  members: Member[];
  /** Group-kinds and namespaces about to be written, beyond the members' (the superset kubectl writes before applying). */
  groupKinds?: string[];
  namespaces?: string[];
  sources: string[];
}

/** The parent object for `content`: labels, kubectl's annotations, and the member record. */
export function parentObject(ref: ApplySetRef, content: SetContent): Obj {
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
  const groupKinds = sorted([...content.members.map(groupKind), ...(content.groupKinds ?? [])]);
  const namespaces = sorted([...content.members.map((m) => m.namespace ?? ''), ...(content.namespaces ?? [])].filter((n) => n && n !== ref.namespace));
  const members = [...content.members].sort((a, b) => [a.group, a.kind, a.namespace ?? '', a.name].join('/').localeCompare([b.group, b.kind, b.namespace ?? '', b.name].join('/')));
  const annotations: Record<string, string> = {
    [applySetAnnotations.tooling]: tooling,
    [applySetAnnotations.groupKinds]: groupKinds.join(','),
    [applySetAnnotations.sources]: content.sources.join(','),
  };
  if (namespaces.length > 0) annotations[applySetAnnotations.additionalNamespaces] = namespaces.join(',');
  const record = members.map((m) => JSON.stringify({ group: m.group, kind: m.kind, namespace: m.namespace, name: m.name, apiVersion: m.apiVersion, uid: m.uid }));
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: ref.name, namespace: ref.namespace, labels: { [applySetLabels.id]: ref.id }, annotations },
    data: { [membersKey]: record.length === 0 ? '[]\n' : `[\n${record.join(',\n')}\n]\n` },
  };
}

/** Writes the parent with server-side apply (it is berth's own object: conflicts are taken over). */
export async function writeApplySet(client: Client, ref: ApplySetRef, content: SetContent, options: { dryRun?: boolean; signal?: AbortSignal } = {}): Promise<void> {
  await client.resource(kinds.ConfigMap).apply(parentObject(ref, content) as never, { fieldManager: 'berth', force: true, dryRun: options.dryRun, signal: options.signal });
}
