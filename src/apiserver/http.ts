/**
 * The HTTP edges of the API server: reading a bounded request body, parsing it by content type,
 * and writing objects and errors. Every error leaves here as a Kubernetes `Status` whose HTTP
 * code equals its `code`; anything unexpected becomes a 500 InternalError and is logged.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { Composer, CST, LineCounter, Parser } from 'yaml';
import { ApiError, BadRequest, InternalError, RequestEntityTooLarge, UnsupportedMediaType } from '../api/errors';
import { errorMessage, logger } from '../log';
import { decodeProtobufBody } from './protobuf';

const log = logger('apiserver');

/** Upstream's limit on request bodies (3 MiB). */
export const maxBodyBytes = 3 * 1024 * 1024;
/** Responses larger than this are gzipped when the client accepts it (upstream: 128 KiB). */
const gzipThreshold = 128 * 1024;
/** Characters past which an answer is encoded once into a Buffer. */
const largeBody = 64 * 1024;

export function readBody(req: IncomingMessage, limit = maxBodyBytes): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      reject(new RequestEntityTooLarge(`the request body of ${declared} bytes is larger than the limit of ${limit} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new RequestEntityTooLarge(`the request body is larger than the limit of ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => failed || resolve(Buffer.concat(chunks)));
    req.on('error', (e) => failed || reject(new BadRequest(`reading the request body: ${e.message}`)));
  });
}

/** The media type without parameters, lower-cased: `application/json`. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

export const jsonTypes = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

/**
 * Parses a body as JSON, YAML or Kubernetes protobuf according to its Content-Type. A body that is
 * not a single JSON object is a 400 that says where parsing failed.
 */
export function parseBody(body: Buffer, contentType: string | undefined, accepted: string[] = jsonTypes): unknown {
  // No Content-Type means JSON, as upstream defaults it; one that names no type (";;;") is refused.
  const type = (contentType ?? '').trim() === '' ? 'application/json' : mediaType(contentType);
  if (!accepted.includes(type)) {
    throw new UnsupportedMediaType(
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    );
  }
  if (body.length === 0) throw new BadRequest('the request body is empty');
  if (type === 'application/vnd.kubernetes.protobuf') return decodeProtobufBody(body);
  const text = body.toString('utf8');
  if (type === 'application/yaml' || type === 'application/apply-patch+yaml') return checkJson(parseYaml(text));
  checkNesting(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new BadRequest(`the request body is not valid JSON: ${errorMessage(e)}`);
  }
  return checkJson(value);
}

/**
 * Refuses JSON text that nests deeper than `limit`, before it is parsed: a part that a
 * duplicate key would later drop counts too, as upstream's decoder counts it.
 */
export function checkNesting(text: string, limit = maxBodyDepth): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) throw new BadRequest(`the request body nests deeper than ${limit} levels`);
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}

/** Upstream decodes JSON to at most 10,000 levels; our object walks recurse, so we stop sooner. */
export const maxBodyDepth = 1000;

/**
 * Composing YAML takes several stack frames per level: some 450 levels of flow collections
 * exhaust Node's stack, so YAML bodies stop at 200 (the deepest CRD schemas nest a few dozen).
 */
export const maxYamlDepth = 200;

/**
 * Checks that a parsed body is plain JSON the rest of the server can walk: no deeper than
 * `maxBodyDepth` (which also stops YAML alias cycles), finite numbers, and no YAML-only values
 * (sets, binary, dates). Walks with its own stack, so any depth is safe to look at.
 */
export function checkJson<T>(value: T): T {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node === 'string' || typeof node === 'boolean') continue;
    if (typeof node === 'number') {
      if (!Number.isFinite(node)) throw new BadRequest('the request body holds a number too large to represent');
      continue;
    }
    if (typeof node !== 'object') throw new BadRequest(`the request body holds a ${typeof node}, which JSON cannot express`);
    if (depth >= maxBodyDepth) throw new BadRequest(`the request body nests deeper than ${maxBodyDepth} levels`);
    if (Array.isArray(node)) {
      for (const child of node) stack.push([child, depth + 1]);
      continue;
    }
    const prototype = Object.getPrototypeOf(node);
    if (prototype !== Object.prototype && prototype !== null) throw new BadRequest(`the request body holds a ${prototype?.constructor?.name ?? 'value'}, which JSON cannot express`);
    for (const key in node) stack.push([(node as Record<string, unknown>)[key], depth + 1]);
  }
  return value;
}

/**
 * One YAML document (JSON is YAML) as a plain value. The text is tokenized first, which takes no
 * recursion, and refused if its collections nest deeper than `maxYamlDepth`: composing the
 * document recurses once per level, and a body 100,000 levels deep took the process down
 * (V8 aborts when a regular expression is first compiled that close to the stack's end).
 */
export function parseYaml(text: string): unknown {
  // JSON (what kubectl sends) is measured by its brackets first, in one pass: tokenizing a body
  // 100,000 levels deep took the better part of a second. Brackets count exactly only in JSON, so
  // a body they find too deep is refused here only if it is JSON.
  if (/^\s*[[{]/.test(text)) {
    try {
      checkNesting(text, maxYamlDepth);
    } catch (e) {
      if (isJson(text)) throw e;
    }
  }
  const lines = new LineCounter();
  const tokens = Array.from(new Parser(lines.addNewLine).parse(text));
  if (yamlDepth(tokens) > maxYamlDepth) throw new BadRequest(`the request body nests deeper than ${maxYamlDepth} levels`);
  const docs = Array.from(new Composer({ uniqueKeys: true }).compose(tokens));
  if (docs.length !== 1) throw new BadRequest(`the request body must hold one YAML document, found ${docs.length}`);
  const doc = docs[0];
  // A tag the parser cannot resolve (`!!python/object`) is only a warning to it; a refusal here.
  const problems = [...doc.errors, ...doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED')];
  if (problems.length > 0) {
    const e = problems[0];
    const at = lines.linePos(e.pos[0]);
    throw new BadRequest(`the request body is not valid YAML at line ${at.line}, column ${at.col}: ${e.message.split('\n')[0]}`);
  }
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // Aliases expanding past the count ("billion laughs").
    throw new BadRequest(`the request body is not valid YAML: ${errorMessage(e)}`);
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** How deep the collections of YAML tokens nest, walked with its own stack. */
function yamlDepth(tokens: CST.Token[]): number {
  let deepest = 0;
  const stack: Array<[CST.Token | undefined, number]> = tokens.map((t) => [t, 0]);
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!;
    if (token?.type === 'document') stack.push([token.value, depth]);
    else if (token?.type === 'block-map' || token?.type === 'block-seq' || token?.type === 'flow-collection') {
      deepest = Math.max(deepest, depth + 1);
      for (const item of token.items) stack.push(['key' in item ? (item.key ?? undefined) : undefined, depth + 1], [item.value, depth + 1]);
    }
  }
  return deepest;
}

export interface SendOptions {
  headers?: Record<string, string | string[]>;
  /** Whether the client said it accepts gzip. */
  gzip?: boolean;
}

export function sendJson(res: ServerResponse, code: number, value: unknown, options: SendOptions = {}): void {
  sendRaw(res, code, JSON.stringify(value), 'application/json', options);
}

export function sendRaw(res: ServerResponse, code: number, text: string, contentType: string, options: SendOptions = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const headers: Record<string, string | string[]> = { 'Content-Type': contentType, 'Cache-Control': 'no-cache, private', ...options.headers };
  // Small answers (nearly all) go out as the string itself: no Buffer copy before the socket's.
  // A large one (a list) is encoded once: measuring its length and then writing it read all
  // its megabytes twice.
  const body = text.length > largeBody ? Buffer.from(text, 'utf8') : text;
  const length = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length;
  if (options.gzip && length > gzipThreshold) {
    const payload = gzipSync(body, { level: 1 });
    headers['Content-Encoding'] = 'gzip';
    headers['Content-Length'] = String(payload.length);
    res.writeHead(code, headers);
    res.end(payload);
    return;
  }
  headers['Content-Length'] = String(length);
  res.writeHead(code, headers);
  res.end(body);
}

/** Any thrown value as the ApiError to send; an unexpected one is logged and becomes a 500. */
export function asApiError(e: unknown, context: Record<string, unknown> = {}): ApiError {
  if (e instanceof ApiError) return e;
  log.error('unexpected error serving a request', { ...context, error: errorMessage(e), stack: e instanceof Error ? e.stack : undefined });
  return new InternalError(`an error on the server ("${errorMessage(e)}") has prevented the request from succeeding`);
}

export function sendError(res: ServerResponse, e: unknown, context: Record<string, unknown> = {}): void {
  const error = asApiError(e, context);
  sendJson(res, error.code, error.toStatus());
}

/** Upstream prints `Warning: 299 - "text"` headers; kubectl shows them to the user. */
export function warningHeader(messages: string[]): Record<string, string[]> {
  if (messages.length === 0) return {};
  return { Warning: messages.map((m) => `299 - ${JSON.stringify(m)}`) };
}

export function acceptsGzip(req: IncomingMessage): boolean {
  return /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
}
