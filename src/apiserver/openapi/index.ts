/**
 * OpenAPI for kubectl.
 *
 *   /openapi/v3          index of the group-version documents (documents.ts)
 *   /openapi/v3/<gv>     one document; `?hash=` pins it (immutable, cached by clients for a
 *                        year), a stale hash is redirected to the current one, If-None-Match
 *                        with the current ETag is a 304
 *   /openapi/v2          kubectl decodes it only as protobuf (K8S-WIRE §2): an empty body is an
 *                        empty gnostic document, which kubectl reads as "no models"; it never
 *                        needs them, because every kind's v3 PATCH operation says the server
 *                        validates fields itself (`fieldValidation`)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NotAcceptable, NotFound } from '../../api/errors';
import { acceptsGzip, sendJson, sendRaw } from '../http';
import type { Registry } from '../registry';
import { type Document, OpenApiDocuments } from './documents';

export { OpenApiDocuments, groupVersionDocument, groupVersionPath } from './documents';

const protobufV2 = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
const documents = new WeakMap<Registry, OpenApiDocuments>();

export function serveOpenApi(req: IncomingMessage, res: ServerResponse, path: string, registry: Registry): void {
  if (path === '/openapi/v2') {
    const accept = String(req.headers.accept ?? '');
    if (accept.includes('protobuf')) sendRaw(res, 200, '', protobufV2);
    else sendJson(res, 200, { swagger: '2.0', info: { title: 'berth', version: 'v1.32.0' }, paths: {}, definitions: {} });
    return;
  }
  let served = documents.get(registry);
  if (!served) {
    served = new OpenApiDocuments(registry);
    documents.set(registry, served);
  }
  if (path === '/openapi/v3') {
    sendDocument(req, res, served.index());
    return;
  }
  const groupVersion = path.startsWith('/openapi/v3/') ? path.slice('/openapi/v3/'.length) : '';
  const document = served.groupVersion(groupVersion);
  if (!document) throw new NotFound('the server could not find the requested resource');
  if (!acceptsJson(req.headers.accept)) throw new NotAcceptable('only application/json is supported for OpenAPI v3 documents');
  const hash = new URL(req.url ?? '/', 'http://localhost').searchParams.get('hash');
  if (hash && hash !== document.etag) {
    res.writeHead(301, { Location: `/openapi/v3/${groupVersion}?hash=${document.etag}`, 'Content-Length': '0' });
    res.end();
    return;
  }
  // A pinned hash never changes meaning, so clients may keep the answer.
  const pinned: Record<string, string> = hash ? { 'Cache-Control': 'public, immutable', Expires: new Date(Date.now() + 365 * 24 * 3600 * 1000).toUTCString() } : {};
  sendDocument(req, res, document, pinned);
}

function sendDocument(req: IncomingMessage, res: ServerResponse, document: Document, headers: Record<string, string> = {}): void {
  const etag = `"${document.etag}"`;
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, { ETag: etag, ...headers });
    res.end();
    return;
  }
  sendRaw(res, 200, document.text, 'application/json', { headers: { ETag: etag, Vary: 'Accept', ...headers }, gzip: acceptsGzip(req) });
}

/** JSON, or anything (`*\/*`, `application/*`, no Accept at all). */
function acceptsJson(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept.split(',').some((clause) => {
    const type = clause.split(';')[0].trim().toLowerCase();
    return type === 'application/json' || type === '*/*' || type === 'application/*';
  });
}
