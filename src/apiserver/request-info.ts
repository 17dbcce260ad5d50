/**
 * Turns a request path and method into what it asks for, as Kubernetes' RequestInfo does:
 *
 *   /api/v1/namespaces/default/pods/web-1/log      → core v1, ns default, pods, web-1, log, get
 *   /apis/apps/v1/deployments?watch=true           → apps v1, all namespaces, deployments, watch
 *   /api/v1/namespaces/foo/status                  → the namespace foo's status subresource
 *
 * Anything that is not under /api or /apis is a non-resource request (discovery, health, metrics).
 */

import { BadRequest } from '../api/errors';
import { queryBoolean } from './query-boolean';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface ResourceRequest {
  isResource: true;
  verb: Verb;
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
}

export interface NonResourceRequest {
  isResource: false;
  path: string;
}

export type RequestInfo = ResourceRequest | NonResourceRequest;

const namespaceSubresources = new Set(['status', 'finalize']);

/** A percent-encoded path segment; a broken escape (`%E0%A4%A`) is the client's error. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadRequest(`the path segment "${segment}" is not valid percent-encoded UTF-8`);
  }
}

function isWatch(query: URLSearchParams): boolean {
  return queryBoolean(query, 'watch') ?? false;
}

export function requestInfo(method: string, pathname: string, query: URLSearchParams): RequestInfo {
  const parts = pathname.split('/').filter((p) => p !== '');
  let rest: string[];
  let group: string;
  let version: string;
  if (parts[0] === 'api' && parts.length >= 2) {
    group = '';
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else {
    return { isResource: false, path: pathname };
  }
  if (rest.length === 0) return { isResource: false, path: pathname };

  // The deprecated /watch/ path form still used by some old clients.
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }

  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length > 1) {
    if (rest.length === 3 && namespaceSubresources.has(rest[2])) {
      // /namespaces/<name>/status is a subresource of the namespace itself.
    } else if (rest.length >= 3) {
      namespace = decodeSegment(rest[1]);
      rest = rest.slice(2);
    }
  }

  const resource = rest[0];
  const name = rest.length > 1 ? decodeSegment(rest[1]) : undefined;
  const subresource = rest.length > 2 ? rest.slice(2).join('/') : undefined;

  let verb: Verb;
  switch (method) {
    case 'GET':
    case 'HEAD':
      verb = name === undefined ? (watchPath || isWatch(query) ? 'watch' : 'list') : watchPath || (isWatch(query) && !subresource) ? 'watch' : 'get';
      break;
    case 'POST':
      verb = 'create';
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = name === undefined ? 'deletecollection' : 'delete';
      break;
    default:
      verb = 'get';
  }
  return { isResource: true, verb, group, version, namespace, resource, name, subresource };
}
