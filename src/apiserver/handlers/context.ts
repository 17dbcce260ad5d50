/**
 * What every resource handler receives, and the small decisions shared by all of them:
 * which representation the client accepts, dry run, field manager, field validation.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type * as t from 'io-ts';
import { decode } from '../../api/decode';
import { BadRequest, Invalid, NotAcceptable } from '../../api/errors';
import type { Obj } from '../../api/object';
import type { ResourceRequest } from '../request-info';
import type { ResourceType } from '../registry';
import type { Services } from '../services';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  info: ResourceRequest;
  type: ResourceType;
  services: Services;
  /** The authenticated user's name, for logs and field managers. */
  user: string;
}

/** What the client asked to receive. */
export type Representation =
  | { as: 'json' }
  | { as: 'table'; version: 'v1' | 'v1beta1'; includeObject: 'None' | 'Metadata' | 'Object' }
  | { as: 'metadata' };

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

function parseAccept(header: string): MediaRange[] {
  return header
    .split(',')
    .map((part) => {
      const [type, ...params] = part.split(';').map((s) => s.trim());
      const p: Record<string, string> = {};
      for (const kv of params) {
        const i = kv.indexOf('=');
        if (i > 0) p[kv.slice(0, i).trim()] = kv.slice(i + 1).trim();
      }
      return { type: type.toLowerCase(), params: p };
    })
    .filter((r) => r.type !== '');
}

/**
 * Picks the first acceptable representation in the client's order. kubectl get asks for
 * `application/json;as=Table;v=v1;g=meta.k8s.io, ..., application/json`; typed clients ask for
 * protobuf first and JSON second (we answer JSON).
 */
export function negotiate(accept: string | undefined, query: URLSearchParams): Representation {
  if (!accept || accept.trim() === '') return { as: 'json' };
  for (const range of parseAccept(accept)) {
    const jsonish = range.type === 'application/json' || range.type === '*/*' || range.type === 'application/*';
    if (!jsonish) continue;
    const as = range.params.as;
    if (!as) return { as: 'json' };
    if (range.params.g !== 'meta.k8s.io') continue;
    if (as === 'Table' && (range.params.v === 'v1' || range.params.v === 'v1beta1')) {
      const include = query.get('includeObject') ?? 'Metadata';
      if (include !== 'None' && include !== 'Metadata' && include !== 'Object') {
        throw new BadRequest(`includeObject: Unsupported value: "${include}": supported values: "None", "Metadata", "Object"`);
      }
      return { as: 'table', version: range.params.v, includeObject: include };
    }
    if ((as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') && range.params.v === 'v1') return { as: 'metadata' };
  }
  throw new NotAcceptable(`only the following media types are accepted: application/json, application/json;as=Table;v=v1;g=meta.k8s.io`);
}

export function isDryRun(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  for (const v of values) {
    if (v !== 'All' && v !== '') throw new BadRequest(`dryRun: Unsupported value: "${v}": supported values: "All"`);
  }
  return values.includes('All');
}

/**
 * The field manager of a write: the `fieldManager` parameter, else the user agent's product
 * (`kubectl` from `kubectl/v1.32.4 (linux/amd64) ...`), as upstream derives it.
 */
export function fieldManager(req: IncomingMessage, query: URLSearchParams): string {
  const given = query.get('fieldManager');
  if (given) {
    if (given.length > 128) throw new BadRequest('fieldManager: Too long: may not be longer than 128');
    return given;
  }
  const agent = String(req.headers['user-agent'] ?? 'unknown');
  return agent.split('/')[0].slice(0, 128) || 'unknown';
}

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function fieldValidation(query: URLSearchParams): FieldValidation {
  const v = query.get('fieldValidation') ?? 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw new BadRequest(`fieldValidation: Unsupported value: "${v}": supported values: "Ignore", "Strict", "Warn"`);
}

/** Checks that a body is an object of the kind the URL names and fills in apiVersion/kind. */
export function checkBodyKind(type: Pick<ResourceType, 'kind' | 'groupVersion'>, body: unknown, expectKind = type.kind, expectVersion = type.groupVersion): Obj {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new BadRequest(`the request body must be a JSON object describing a ${expectKind}`);
  }
  const obj = body as Obj;
  if (obj.apiVersion !== undefined && obj.apiVersion !== expectVersion) {
    throw new BadRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${expectVersion})`);
  }
  if (obj.kind !== undefined && obj.kind !== expectKind) {
    throw new BadRequest(`the kind in the data (${String(obj.kind)}) does not match the expected kind (${expectKind})`);
  }
  if (obj.metadata === undefined) obj.metadata = {};
  if (obj.metadata === null || typeof obj.metadata !== 'object' || Array.isArray(obj.metadata)) {
    throw new BadRequest('metadata: Invalid value: must be an object');
  }
  obj.apiVersion = expectVersion;
  obj.kind = expectKind;
  return obj;
}

/**
 * A request body (or a part of one) decoded with its codec. A body that does not decode is the
 * client's malformed request, a 400 naming every bad field, as upstream's decoder answers.
 */
export function decodeBody<C extends t.Mixed>(codec: C, value: unknown, what: string): t.TypeOf<C> {
  try {
    return decode(codec, value, what);
  } catch (e) {
    if (e instanceof Invalid) throw new BadRequest(e.message);
    throw e;
  }
}

/**
 * The warnings a write of an object answers with: those of field validation, then, for a kind
 * nothing acts on yet (`unmanaged` in its declaration), that it is only stored. Writes to a
 * subresource (status, scale) are a controller's or an operator's and get no such warning.
 */
export function writeWarnings(ctx: Pick<RequestContext, 'type' | 'info'>, fieldWarnings: string[]): string[] {
  const unmanaged = ctx.info.subresource ? undefined : ctx.type.decl.unmanaged;
  return unmanaged ? [...fieldWarnings, unmanaged] : fieldWarnings;
}
