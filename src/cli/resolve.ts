/**
 * What the `KIND` and `KIND/NAME` arguments of berth's commands mean, decided as kubectl's REST
 * mapper decides, over the server's discovery documents (so custom kinds resolve like built-ins):
 *
 *   pods, pod, po, Pod           plural, singular, short name or kind, any case
 *   deploy.apps, deployments.v1.apps   qualified by group, or by version and group
 *   deploy,rs                    several kinds at once
 *   all                          a category: every kind that declares it
 *   deploy web api               a kind and names  ·  deploy/web rs/web-1   kind/name pairs
 *
 * When a name matches kinds in several groups, the first group in discovery order wins (the
 * core group first), as kubectl prefers.
 */
import type { Client } from '../client';
import { kindRef, KindRef } from '../client';
import { CommandError, ExitCode } from './exit';

/** A kind the server serves, as discovery describes it. */
export interface ResourceType extends KindRef {
  readonly singular: string;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  /** `status`, `scale`, `log`, ... */
  readonly subresources: readonly string[];
}

/** A kind and the names asked for; no names means every object of the kind. */
export interface Target {
  type: ResourceType;
  names: string[];
}

interface AggregatedResource {
  resource: string;
  responseKind?: { group?: string; version?: string; kind?: string };
  scope?: string;
  singularResource?: string;
  shortNames?: string[];
  categories?: string[];
  subresources?: Array<{ subresource: string }>;
}

interface AggregatedList {
  kind?: string;
  items?: Array<{ metadata?: { name?: string }; versions?: Array<{ version: string; resources?: AggregatedResource[] }> }>;
}

interface LegacyResource {
  name: string;
  singularName?: string;
  namespaced: boolean;
  kind: string;
  shortNames?: string[];
  categories?: string[];
}

const aggregatedAccept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';

function makeType(group: string, version: string, kind: string, plural: string, namespaced: boolean, extra: Partial<ResourceType>): ResourceType {
  return {
    ...kindRef({ group, version, kind, plural, scope: namespaced ? 'Namespaced' : 'Cluster' }),
    singular: extra.singular || kind.toLowerCase(),
    shortNames: extra.shortNames ?? [],
    categories: extra.categories ?? [],
    subresources: extra.subresources ?? [],
  };
}

/** The kinds a server serves, in discovery order, with kubectl's ways of naming them. */
export class ResourceTypes {
  constructor(readonly all: readonly ResourceType[]) {}

  /** Reads the server's discovery: the aggregated documents, else the legacy per-version ones. */
  static async discover(client: Client, signal?: AbortSignal): Promise<ResourceTypes> {
    const core = await client.api.request<AggregatedList>('GET', '/api', { accept: aggregatedAccept, signal });
    if (core?.kind === 'APIGroupDiscoveryList') {
      const groups = await client.api.request<AggregatedList>('GET', '/apis', { accept: aggregatedAccept, signal });
      return new ResourceTypes([...fromAggregated(core), ...fromAggregated(groups)]);
    }
    return new ResourceTypes(await legacyDiscovery(client, signal));
  }

  /** The kind a name means, or undefined. */
  lookup(name: string): ResourceType | undefined {
    const lower = name.toLowerCase();
    return this.all.find((t) => namesOf(t).some((n) => lower === n || (t.group !== '' && (lower === `${n}.${t.group}` || lower === `${n}.${t.version}.${t.group}`))));
  }

  /** The kind a name means; an unknown name is an error, as kubectl words it. */
  find(name: string): ResourceType {
    const found = this.lookup(name);
    if (!found) throw new CommandError(`the server doesn't have a resource type "${name}"`, ExitCode.badInput);
    return found;
  }

  /** The kind of objects with this apiVersion and kind. */
  forKind(apiVersion: string, kind: string): ResourceType | undefined {
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    return this.all.find((t) => t.group === group && t.kind === kind);
  }

  /** The kinds in a category (`all`), one version each. */
  category(name: string): ResourceType[] {
    return this.all.filter((t) => t.categories.includes(name));
  }

  /** A kind name, a comma-separated list of them, or a category, as kinds. */
  expand(text: string): ResourceType[] {
    const out: ResourceType[] = [];
    for (const part of text.split(',').filter(Boolean)) {
      const known = this.lookup(part);
      const kinds = known ? [known] : this.category(part.toLowerCase());
      if (kinds.length === 0) this.find(part);
      for (const k of kinds) if (!out.includes(k)) out.push(k);
    }
    return out;
  }
}

const namesOf = (t: ResourceType): string[] => [t.plural, t.singular, t.kind.toLowerCase(), ...t.shortNames.map((s) => s.toLowerCase())];

function fromAggregated(list: AggregatedList): ResourceType[] {
  const out: ResourceType[] = [];
  for (const item of list.items ?? []) {
    const group = item.metadata?.name ?? '';
    const seen = new Set<string>();
    // Versions come in preference order: the first one that serves a resource is the one to use.
    for (const v of item.versions ?? []) {
      for (const r of v.resources ?? []) {
        if (seen.has(r.resource) || !r.responseKind?.kind) continue;
        seen.add(r.resource);
        out.push(
          makeType(group, v.version, r.responseKind.kind, r.resource, r.scope === 'Namespaced', {
            singular: r.singularResource,
            shortNames: r.shortNames,
            categories: r.categories,
            subresources: (r.subresources ?? []).map((s) => s.subresource),
          }),
        );
      }
    }
  }
  return out;
}

async function legacyDiscovery(client: Client, signal?: AbortSignal): Promise<ResourceType[]> {
  const versions: Array<{ group: string; version: string }> = [{ group: '', version: 'v1' }];
  const groups = await client.api.request<{ groups?: Array<{ name: string; preferredVersion?: { version: string } }> }>('GET', '/apis', { signal });
  for (const g of groups?.groups ?? []) if (g.preferredVersion) versions.push({ group: g.name, version: g.preferredVersion.version });
  const out: ResourceType[] = [];
  for (const { group, version } of versions) {
    const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
    const list = await client.api.request<{ resources?: LegacyResource[] }>('GET', path, { signal });
    const resources = list?.resources ?? [];
    for (const r of resources) {
      if (r.name.includes('/')) continue;
      const subresources = resources.filter((s) => s.name.startsWith(`${r.name}/`)).map((s) => s.name.slice(r.name.length + 1));
      out.push(makeType(group, version, r.kind, r.name, r.namespaced, { singular: r.singularName, shortNames: r.shortNames, categories: r.categories, subresources }));
    }
  }
  return out;
}

/** `deploy/web` → kind and name; undefined for an argument without a slash. */
export function splitKindName(arg: string): { kind: string; name: string } | undefined {
  const slash = arg.indexOf('/');
  if (slash < 0) return undefined;
  const kind = arg.slice(0, slash);
  const name = arg.slice(slash + 1);
  if (!kind || !name || name.includes('/')) throw new CommandError(`"${arg}" is not KIND/NAME (e.g. deployment/web)`, ExitCode.badInput);
  return { kind, name };
}

/**
 * kubectl's argument forms: `KIND[,KIND...] [NAME...]` or `KIND/NAME...`. Names given with a
 * list of kinds look for each name in each kind.
 */
export function parseTargets(args: string[], types: ResourceTypes): Target[] {
  if (args.length === 0) throw new CommandError('say what to act on: a kind (e.g. pods, deploy, all), a kind and names, or KIND/NAME', ExitCode.badInput);
  if (args.some((a) => a.includes('/'))) {
    if (!args.every((a) => a.includes('/'))) {
      throw new CommandError('there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. "berth get deploy/web" instead of "berth get deploy deploy/web")', ExitCode.badInput);
    }
    const targets: Target[] = [];
    for (const arg of args) {
      const { kind, name } = splitKindName(arg)!;
      const type = types.find(kind);
      const existing = targets.find((t) => t.type === type);
      if (existing) existing.names.push(name);
      else targets.push({ type, names: [name] });
    }
    return targets;
  }
  const [kinds, ...names] = args;
  return types.expand(kinds).map((type) => ({ type, names: [...names] }));
}

/**
 * One object named as `KIND/NAME`, or as a bare NAME of `defaultKind` (as `berth logs web-1`
 * means a pod), or as `KIND NAME` in two arguments.
 */
export function parseOne(args: string[], types: ResourceTypes, defaultKind?: string): { type: ResourceType; name: string } {
  if (args.length === 2 && !args[0].includes('/')) return { type: types.find(args[0]), name: args[1] };
  if (args.length !== 1) throw new CommandError(`expected one object, as KIND/NAME${defaultKind ? ` or a ${defaultKind} name` : ' or KIND NAME'}; got "${args.join(' ')}"`, ExitCode.badInput);
  const pair = splitKindName(args[0]);
  if (pair) return { type: types.find(pair.kind), name: pair.name };
  if (!defaultKind) throw new CommandError(`expected KIND/NAME or KIND NAME, not "${args[0]}"`, ExitCode.badInput);
  return { type: types.find(defaultKind), name: args[0] };
}
