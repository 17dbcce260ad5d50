/**
 * The OpenAPI v3 documents, one per served group-version, and the index that lists them:
 *
 *   /openapi/v3                 {"paths": {"apis/apps/v1": {"serverRelativeURL": "/openapi/v3/apis/apps/v1?hash=<etag>"}, ...}}
 *   /openapi/v3/apis/apps/v1    {"openapi": "3.0.0", "paths": {...}, "components": {"schemas": {...}}}
 *
 * Each document's ETag is the SHA-512 of its JSON text, as kube-openapi computes it, and the
 * index carries it as `hash`: clients cache a document for as long as its hash is unchanged.
 * Everything is rebuilt when the registry changes (a CRD added, changed or removed).
 */
import { createHash } from 'node:crypto';
import { versionInfo } from '../version';
import type { Registry, ResourceType } from '../registry';
import { resourcePaths, type PathItem } from './operations';
import { componentSchemas } from './schemas';

export interface Document {
  /** The JSON text served. */
  text: string;
  etag: string;
}

interface Built {
  revision: number;
  index: Document;
  byGroupVersion: Map<string, Document>;
}

export class OpenApiDocuments {
  private built?: Built;

  constructor(private readonly registry: Registry) {}

  /** The index of every group-version document. */
  index(): Document {
    return this.current().index;
  }

  /** The document of `api/v1` or `apis/<group>/<version>`, if that group-version is served. */
  groupVersion(path: string): Document | undefined {
    return this.current().byGroupVersion.get(path);
  }

  private current(): Built {
    if (this.built?.revision !== this.registry.revision) this.built = build(this.registry);
    return this.built;
  }
}

/** `api/v1` or `apis/apps/v1`: the key of a group-version in the index. */
export function groupVersionPath(type: Pick<ResourceType, 'group' | 'version'>): string {
  return type.group ? `apis/${type.group}/${type.version}` : `api/${type.version}`;
}

function build(registry: Registry): Built {
  const revision = registry.revision;
  const types = new Map<string, ResourceType[]>();
  for (const type of registry.all()) {
    const key = groupVersionPath(type);
    types.set(key, [...(types.get(key) ?? []), type]);
  }
  const byGroupVersion = new Map<string, Document>();
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [key, members] of [...types].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const document = toDocument(groupVersionDocument(members));
    byGroupVersion.set(key, document);
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${document.etag}` };
  }
  return { revision, index: toDocument({ paths }), byGroupVersion };
}

/** One group-version's document: its resources' paths and the schemas they refer to. */
export function groupVersionDocument(types: ResourceType[]): Record<string, unknown> {
  const sorted = [...types].sort((a, b) => (a.plural < b.plural ? -1 : a.plural > b.plural ? 1 : 0));
  const paths: Record<string, PathItem> = {};
  for (const type of sorted) Object.assign(paths, resourcePaths(type));
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: versionInfo().gitVersion },
    paths,
    components: {
      schemas: componentSchemas(sorted),
      securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    },
    security: [{ BearerToken: [] }],
  };
}

function toDocument(value: unknown): Document {
  const text = JSON.stringify(value);
  return { text, etag: createHash('sha512').update(text).digest('hex').toUpperCase() };
}
