/**
 * HTTP to the API server: keep-alive connections, JSON in and out, the bearer token and TLS of a
 * `Connection`, and every non-2xx answer turned into the error catalogue (`errorFromStatus`).
 *
 *   request()  one JSON answer; retried with backoff on 429/503 (idempotent verbs), on a
 *              refused connection (any verb: nothing reached the server) and on a reused
 *              keep-alive connection reset under an idempotent verb; bounded by a timeout
 *   stream()   the raw response (pod logs), status checked first
 *   watch()    newline-framed watch events, parsed a whole line at a time, ended by an AbortSignal
 */
import http from 'node:http';
import https from 'node:https';
import { StringDecoder } from 'node:string_decoder';
import { ApiError, errorFromStatus, Status, Timeout, Unavailable } from '../api/errors';
import type { Obj } from '../api/object';
import { errorMessage, logger } from '../log';
import { abortError, backoffDelay, follow, sleep } from './abort';
import type { Connection } from './connection';

const log = logger('api-client');

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  /** A JSON value (encoded here), or a string/Buffer sent as is. */
  body?: unknown;
  contentType?: string;
  accept?: string;
  /** Aborting ends the request; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Overrides the client's request timeout for this call; 0 means none. */
  timeoutMs?: number;
}

export interface ApiClientOptions {
  /** Per request, headers and body (default 30 s). Streams are bounded only until their headers. */
  timeoutMs?: number;
  /** Retries after the first attempt (default 5). */
  maxRetries?: number;
  /** First retry delay, doubling up to `retryMaxMs` (defaults 200 ms, 5 s). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  userAgent?: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

/** One watch event. A BOOKMARK's object carries only kind, apiVersion and metadata.resourceVersion. */
export interface WatchEvent<T extends Obj = Obj> {
  type: WatchEventType;
  object: T;
}

/** One try of a request: its Timeout once its time ran out (the error it fails with may not say). */
interface Attempt {
  timedOut?: Timeout;
}

const idempotent = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const refused = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

export class ApiClient {
  readonly server: string;
  private readonly agent: http.Agent;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly headers: Record<string, string>;

  constructor(
    readonly connection: Connection,
    options: ApiClientOptions = {},
  ) {
    this.server = connection.server;
    const tls = connection.server.startsWith('https:');
    this.agent = tls
      ? new https.Agent({
          keepAlive: true,
          ca: connection.ca,
          cert: connection.cert,
          key: connection.key,
          rejectUnauthorized: !connection.insecureSkipTlsVerify,
          servername: connection.tlsServerName,
        })
      : new http.Agent({ keepAlive: true });
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxRetries = options.maxRetries ?? 5;
    this.retryBaseMs = options.retryBaseMs ?? 200;
    this.retryMaxMs = options.retryMaxMs ?? 5_000;
    this.headers = { 'User-Agent': options.userAgent ?? 'berth/0.1.0' };
    if (connection.token) this.headers.Authorization = `Bearer ${connection.token}`;
  }

  /** One request with a JSON answer (undefined for an empty body). */
  async request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    return this.withRetries(method, path, options, async (attempt) => {
      const res = await this.send(method, path, options, attempt, false);
      const text = await readText(res);
      if (!text) return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new Unavailable(`${method} ${this.server}${path}: the server answered ${res.statusCode} with a body that is not JSON: ${text.slice(0, 200)}`);
      }
    });
  }

  /** The raw response of a streaming request (pod logs); non-2xx answers are errors. Destroy it when done. */
  async stream(method: string, path: string, options: RequestOptions = {}): Promise<http.IncomingMessage> {
    return this.withRetries(method, path, options, (attempt) => this.send(method, path, options, attempt, true));
  }

  /**
   * A watch on a collection path: events as they arrive, ended by `signal` (then the iteration
   * simply stops) or by the server closing the stream. An `ERROR` event is thrown as its catalogue
   * error (Gone for 410, the caller re-lists); a broken connection is thrown as Unavailable.
   */
  async *watch<T extends Obj = Obj>(path: string, query: Query, signal: AbortSignal): AsyncGenerator<WatchEvent<T>> {
    let res: http.IncomingMessage;
    try {
      res = await this.stream('GET', path, { query: { ...query, watch: 'true' }, signal, accept: 'application/json' });
    } catch (e) {
      if (signal.aborted) return;
      throw e;
    }
    try {
      for await (const line of jsonLines(res)) {
        let event: { type?: string; object?: unknown };
        try {
          event = JSON.parse(line);
        } catch {
          throw new Unavailable(`watch ${this.server}${path}: the server sent a line that is not JSON: ${line.slice(0, 200)}`);
        }
        if (event.type === 'ERROR') {
          const status = (event.object ?? {}) as Partial<Status>;
          throw errorFromStatus(status.code ?? 500, status);
        }
        if (event.type !== 'ADDED' && event.type !== 'MODIFIED' && event.type !== 'DELETED' && event.type !== 'BOOKMARK') {
          throw new Unavailable(`watch ${this.server}${path}: unknown event type ${JSON.stringify(event.type)}`);
        }
        yield { type: event.type, object: event.object as T };
      }
    } catch (e) {
      if (signal.aborted) return;
      if (e instanceof ApiError) throw e;
      throw new Unavailable(`watch ${this.server}${path} broke: ${errorMessage(e)}`);
    } finally {
      res.destroy();
    }
  }

  /** Closes idle connections; open streams end when their signals abort. */
  close(): void {
    this.agent.destroy();
  }

  private async withRetries<T>(method: string, path: string, options: RequestOptions, run: (attempt: Attempt) => Promise<T>): Promise<T> {
    for (let tries = 0; ; tries++) {
      const attempt: Attempt = {};
      try {
        return await run(attempt);
      } catch (e) {
        if (options.signal?.aborted) throw abortError(options.signal);
        if (attempt.timedOut) throw attempt.timedOut;
        const delay = this.retryDelay(method, e, tries);
        if (delay === undefined) throw this.describe(method, path, e);
        log.debug('retrying request', { method, path, attempt: tries + 1, delayMs: Math.round(delay), error: errorMessage(e) });
        if (!(await sleep(delay, options.signal))) throw abortError(options.signal!);
      }
    }
  }

  /** How long to wait before retrying, or undefined when this failure is not retried. */
  private retryDelay(method: string, e: unknown, tries: number): number | undefined {
    if (tries >= this.maxRetries) return undefined;
    const code = (e as NodeJS.ErrnoException).code;
    const backoff = backoffDelay(tries, this.retryBaseMs, this.retryMaxMs);
    if (code && refused.has(code)) return backoff;
    if (!idempotent.has(method)) return undefined;
    // A keep-alive connection the server closed just as it was reused: the request never ran.
    if (code === 'ECONNRESET' && (e as { reusedSocket?: boolean }).reusedSocket) return backoff;
    if (e instanceof ApiError && (e.code === 429 || e.code === 503)) {
      const after = e.details.retryAfterSeconds;
      return after !== undefined ? Math.min(after * 1000, this.retryMaxMs) : backoff;
    }
    return undefined;
  }

  /** A failure as a catalogue error; a server that cannot be reached says where and how to start one. */
  private describe(method: string, path: string, e: unknown): Error {
    if (e instanceof ApiError) return e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code && (refused.has(code) || code === 'ENOTFOUND')) {
      return new Unavailable(
        `cannot reach the API server at ${this.server} (${code}, from ${this.connection.source || 'the given connection'}); ` +
          'is it running? start one with `berth server` (or a whole cluster with `berth up`), or point --server / --kubeconfig at a running one',
      );
    }
    if (code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
      return new Unavailable(
        `the API server at ${this.server} presented a certificate this client does not trust (${code}: ${errorMessage(e)}); ` +
          'give its CA with --certificate-authority or certificate-authority(-data) in the kubeconfig',
      );
    }
    return new Unavailable(`${method} ${this.server}${path} failed: ${errorMessage(e)}`);
  }

  /**
   * One attempt: resolves with a 2xx response (body unread); a non-2xx answer is read and thrown.
   * The request is destroyed when the caller's signal aborts, or when the timeout passes before
   * it is done (a stream: before its headers; then only the caller's signal ends it). That takes
   * one timer and one listener, and no AbortController: a busy controller sends thousands a second.
   */
  private send(method: string, path: string, options: RequestOptions, attempt: Attempt, streaming: boolean): Promise<http.IncomingMessage> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const body =
      options.body === undefined ? undefined : Buffer.isBuffer(options.body) ? options.body : Buffer.from(typeof options.body === 'string' ? options.body : JSON.stringify(options.body));
    const headers: Record<string, string> = { ...this.headers, Accept: options.accept ?? 'application/json' };
    if (body) {
      headers['Content-Type'] = options.contentType ?? 'application/json';
      headers['Content-Length'] = String(body.length);
    }
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = lib.request(url, { method, headers, agent: this.agent }, (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          if (streaming) clearTimeout(timer);
          resolve(res);
          return;
        }
        readText(res).then(
          (text) => reject(errorFrom(status, text, res.headers, `${method} ${url.pathname}`)),
          reject,
        );
      });
      const timer =
        timeoutMs > 0
          ? setTimeout(() => {
              attempt.timedOut = new Timeout(`${method} ${this.server}${path} timed out after ${timeoutMs} ms`);
              req.destroy(attempt.timedOut);
            }, timeoutMs).unref()
          : undefined;
      const onAbort = () => req.destroy(abortError(signal!));
      if (signal) follow(signal, onAbort);
      req.once('close', () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      });
      req.on('error', (e) => reject(Object.assign(e, { reusedSocket: req.reusedSocket })));
      req.end(body);
    });
  }
}

/** A non-2xx answer as a catalogue error: its Status if it sent one, else its code and text. */
function errorFrom(code: number, text: string, headers: http.IncomingHttpHeaders, what: string): ApiError {
  let status: Partial<Status> | undefined;
  try {
    const parsed = JSON.parse(text) as Partial<Status>;
    if (parsed && parsed.kind === 'Status') status = parsed;
  } catch {
    // Not JSON (a proxy's page, a plain-text error): the text itself becomes the message.
  }
  status ??= { message: `${what}: the server answered ${code}${text ? `: ${text.trim().slice(0, 200)}` : ''}` };
  const retryAfter = Number(headers['retry-after']);
  if (Number.isFinite(retryAfter) && retryAfter >= 0 && status.details?.retryAfterSeconds === undefined) {
    status = { ...status, details: { ...status.details, retryAfterSeconds: retryAfter } };
  }
  return errorFromStatus(code, status);
}

function readText(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
    res.on('aborted', () => reject(Object.assign(new Error('the response was cut off'), { code: 'ECONNRESET' })));
  });
}

/**
 * Whole lines of a byte stream, without their newline; blank lines are skipped. Multi-byte
 * characters split across chunks are joined first, and a last line the stream ends inside of (a
 * connection cut mid-event) is dropped, never yielded half.
 */
export async function* jsonLines(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let buffer = '';
  for await (const chunk of chunks) {
    buffer += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line) yield line;
    }
  }
}
