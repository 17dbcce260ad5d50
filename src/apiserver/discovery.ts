/**
 * Discovery, in both forms kubectl understands (K8S-WIRE §1):
 *   aggregated v2 — /api and /apis answer one APIGroupDiscoveryList each, recognised by kubectl
 *                   only through the response Content-Type parameters;
 *   legacy        — /api (APIVersions), /apis (APIGroupList), /api/v1 and /apis/<g>/<v>
 *                   (APIResourceList, subresources as "<plural>/<sub>" entries).
 * Both are computed from the registry, with the review resources beside it (reviews.ts:
 * create-only, never stored), and cached until the set of kinds changes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { NotFound } from '../api/errors';
import { groupVersion } from '../../crds/kind';
import { sendJson, sendRaw } from './http';
import type { Registry, ResourceType } from './registry';
import { reviewResources, type ReviewResource } from './reviews';

const aggregatedType = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

interface ExtraSubresource {
  subresource: string;
  kind: { group: string; version: string; kind: string };
  verbs: string[];
}

/** Subresources served by special handlers rather than declared in crds/. */
const extraSubresources: Record<string, ExtraSubresource[]> = {
  '/pods': [
    { subresource: 'binding', kind: { group: '', version: 'v1', kind: 'Binding' }, verbs: ['create'] },
    { subresource: 'eviction', kind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] },
    { subresource: 'log', kind: { group: '', version: 'v1', kind: 'Pod' }, verbs: ['get'] },
  ],
  '/namespaces': [{ subresource: 'finalize', kind: { group: '', version: 'v1', kind: 'Namespace' }, verbs: ['update'] }],
};

function subresourcesOf(type: ResourceType): ExtraSubresource[] {
  const list: ExtraSubresource[] = [];
  if (type.decl.subresources.status) list.push({ subresource: 'status', kind: { group: type.group, version: type.version, kind: type.kind }, verbs: ['get', 'patch', 'update'] });
  if (type.decl.subresources.scale) list.push({ subresource: 'scale', kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] });
  return [...list, ...(extraSubresources[`${type.group}/${type.plural}`] ?? [])];
}

function aggregatedResource(type: ResourceType): Record<string, unknown> {
  const d = type.decl;
  const r: Record<string, unknown> = {
    resource: d.plural,
    responseKind: { group: d.group, version: d.version, kind: d.kind },
    scope: d.scope,
    singularResource: d.singular,
    verbs: allVerbs,
  };
  if (d.shortNames.length > 0) r.shortNames = d.shortNames;
  if (d.categories.length > 0) r.categories = d.categories;
  const subs = subresourcesOf(type);
  if (subs.length > 0) r.subresources = subs.map((s) => ({ subresource: s.subresource, responseKind: s.kind, verbs: s.verbs }));
  return r;
}

function legacyResources(type: ResourceType): Array<Record<string, unknown>> {
  const d = type.decl;
  const main: Record<string, unknown> = {
    name: d.plural,
    singularName: d.singular,
    namespaced: d.scope === 'Namespaced',
    kind: d.kind,
    verbs: allVerbs,
    storageVersionHash: createHash('sha256').update(`${d.group}/${d.version}/${d.kind}`).digest('base64').slice(0, 11),
  };
  if (d.shortNames.length > 0) main.shortNames = d.shortNames;
  if (d.categories.length > 0) main.categories = d.categories;
  const subs = subresourcesOf(type).map((s) => {
    const entry: Record<string, unknown> = { name: `${d.plural}/${s.subresource}`, singularName: '', namespaced: d.scope === 'Namespaced', kind: s.kind.kind, verbs: s.verbs };
    if (s.kind.group !== d.group || s.kind.version !== d.version) {
      entry.group = s.kind.group;
      entry.version = s.kind.version;
    }
    return entry;
  });
  return [main, ...subs];
}

function aggregatedReview(r: ReviewResource): Record<string, unknown> {
  return { resource: r.plural, responseKind: { group: r.group, version: r.version, kind: r.kind }, scope: r.namespaced ? 'Namespaced' : 'Cluster', singularResource: r.singular, verbs: ['create'] };
}

function legacyReview(r: ReviewResource): Record<string, unknown> {
  return { name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: ['create'] };
}

function reviewsOf(group: string, version: string): ReviewResource[] {
  return reviewResources.filter((r) => r.group === group && r.version === version);
}

export class Discovery {
  private cache = new Map<string, { body: string; etag: string }>();
  private cachedAt = -1;

  constructor(private readonly registry: Registry) {}

  /** Serves a discovery path; false when the path is not discovery. */
  serve(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    const parts = path.split('/').filter((p) => p);
    const aggregated = wantsAggregated(req.headers.accept);
    if (parts.length === 1 && parts[0] === 'api') {
      this.send(req, res, aggregated ? 'agg:/api' : 'legacy:/api', () => (aggregated ? this.aggregated(true) : this.legacyCore()), aggregated);
      return true;
    }
    if (parts.length === 1 && parts[0] === 'apis') {
      this.send(req, res, aggregated ? 'agg:/apis' : 'legacy:/apis', () => (aggregated ? this.aggregated(false) : this.legacyGroups()), aggregated);
      return true;
    }
    if ((parts[0] === 'api' && parts.length === 2) || (parts[0] === 'apis' && parts.length === 3)) {
      const group = parts[0] === 'api' ? '' : parts[1];
      const version = parts[parts.length - 1];
      this.send(req, res, `legacy:${group}/${version}`, () => this.resourceList(group, version), false);
      return true;
    }
    if (parts[0] === 'apis' && parts.length === 2) {
      this.send(req, res, `legacy-group:${parts[1]}`, () => this.legacyGroup(parts[1]), false);
      return true;
    }
    return false;
  }

  private send(req: IncomingMessage, res: ServerResponse, key: string, build: () => unknown, aggregated: boolean): void {
    if (this.cachedAt !== this.registry.revision) {
      this.cache.clear();
      this.cachedAt = this.registry.revision;
    }
    let entry = this.cache.get(key);
    if (!entry) {
      const body = JSON.stringify(build());
      entry = { body, etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"` };
      this.cache.set(key, entry);
    }
    const headers: Record<string, string> = { ETag: entry.etag, Vary: 'Accept' };
    if (req.headers['if-none-match'] === entry.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    sendRaw(res, 200, entry.body, aggregated ? aggregatedType : 'application/json', { headers });
  }

  private aggregated(core: boolean): unknown {
    const items = this.groups()
      .filter((g) => (g.group === '') === core)
      .map((g) => ({
        metadata: { name: g.group, creationTimestamp: null },
        versions: g.versions.map((version) => ({
          version,
          resources: [...this.typesOf(g.group, version).map(aggregatedResource), ...reviewsOf(g.group, version).map(aggregatedReview)],
          freshness: 'Current',
        })),
      }));
    return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
  }

  private legacyCore(): unknown {
    return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '' }] };
  }

  private groupEntry(group: string, versions: string[]) {
    const list = versions.map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
    return { name: group, versions: list, preferredVersion: list[0] };
  }

  private legacyGroups(): unknown {
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: this.groups()
        .filter((g) => g.group !== '')
        .map((g) => this.groupEntry(g.group, g.versions)),
    };
  }

  private legacyGroup(group: string): unknown {
    const found = this.groups().find((g) => g.group === group);
    if (!found) throw new NotFound('the server could not find the requested resource');
    return { kind: 'APIGroup', apiVersion: 'v1', ...this.groupEntry(group, found.versions) };
  }

  private resourceList(group: string, version: string): unknown {
    const types = this.typesOf(group, version);
    const reviews = reviewsOf(group, version);
    if (types.length === 0 && reviews.length === 0) throw new NotFound('the server could not find the requested resource');
    return {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: groupVersion({ group, version }),
      resources: [...types.flatMap(legacyResources), ...reviews.map(legacyReview)],
    };
  }

  /** The registry's groups, then the review resources' groups it does not have. */
  private groups(): Array<{ group: string; versions: string[] }> {
    const groups = this.registry.groups();
    for (const r of reviewResources) {
      const found = groups.find((g) => g.group === r.group);
      if (!found) groups.push({ group: r.group, versions: [r.version] });
      else if (!found.versions.includes(r.version)) found.versions.push(r.version);
    }
    return groups;
  }

  private typesOf(group: string, version: string): ResourceType[] {
    return this.registry.all().filter((t) => t.group === group && t.version === version);
  }
}

function wantsAggregated(accept: string | undefined): boolean {
  if (!accept) return false;
  for (const part of accept.split(',')) {
    const [type, ...params] = part.split(';').map((s) => s.trim());
    if (type !== 'application/json') continue;
    const p = Object.fromEntries(params.map((kv) => kv.split('=').map((s) => s.trim())));
    if (p.g === 'apidiscovery.k8s.io' && p.v === 'v2' && p.as === 'APIGroupDiscoveryList') return true;
    if (!p.as) return false; // plain JSON preferred before any aggregated form
  }
  return false;
}
