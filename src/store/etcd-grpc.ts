/**
 * gRPC calls to etcd over Node's own HTTP/2, without grpc-js: one HTTP/2 session (to the next
 * endpoint after one fails), a stream per call, each message framed as gRPC frames it (a flag
 * byte, a 4-byte length, the bytes), the call's status read from its trailers.
 *
 *   call(path, bytes)   ─► session (connected on first use; the next endpoint after a failure)
 *                            └─► stream: HEADERS + DATA ─► DATA … ─► trailers grpc-status
 *   stream(path, …)     ─► the same, left open: messages sent and read as they come (watch)
 *
 * grpc-js and etcd3's pool around it were a third of the API server's CPU per write (bench/api);
 * the store needs none of their generality.
 */
import http2 from 'node:http2';

/** A failed call: the gRPC status code and etcd's message (`etcdserver: …`). */
export class GrpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'GrpcError';
  }
}

/** gRPC status codes the store tells apart. */
export const grpcStatus = { cancelled: 1, deadlineExceeded: 4, resourceExhausted: 8, unavailable: 14 } as const;

const defaultMaxMessageBytes = 2 * 2 ** 20;

/** Certificates (PEM) for https:// endpoints. */
export interface GrpcTls {
  /** The CA that signed etcd's certificate; default: the system's roots. */
  ca?: Buffer | string;
  /** A client certificate and its key, for an etcd that asks for one (`--client-cert-auth`). */
  cert?: Buffer | string;
  key?: Buffer | string;
}

export interface GrpcChannelOptions {
  /** Client URLs, e.g. `http://127.0.0.1:2379` or `https://…`. */
  endpoints: string[];
  /** Used for the https:// endpoints. */
  tls?: GrpcTls;
  /** A silent connection is pinged this often and dropped when the ping goes unanswered; default 30 s. */
  keepaliveMs?: number;
  /** How long a ping may take; default 10 s. */
  keepaliveTimeoutMs?: number;
  /**
   * The largest message sent; a larger one is refused here with RESOURCE_EXHAUSTED, as etcd would
   * refuse it. Default 2 MiB, what etcd reads by default (its 1.5 MiB request limit plus gRPC's
   * allowance). Sent anyway, etcd stops reading it part way, and Node's HTTP/2 session was left
   * with a stream that never closed.
   */
  maxMessageBytes?: number;
  /** A call that has not been answered in this long fails with DEADLINE_EXCEEDED; default 60 s. */
  deadlineMs?: number;
}

const {
  HTTP2_HEADER_METHOD,
  HTTP2_HEADER_PATH,
  HTTP2_HEADER_CONTENT_TYPE,
  HTTP2_HEADER_TE,
} = http2.constants;

/** A streaming call that stays open: messages are read as they come. */
export interface GrpcStream {
  /** Ends the call from this side; `ended` is not called for it. */
  cancel(): void;
}

export interface GrpcStreamHandlers {
  message(bytes: Buffer): void;
  /** The call ended from the other side or with its connection: why, as a GrpcError. */
  ended(error: GrpcError): void;
}

/**
 * What is wrong with `tls` for these endpoints, naming the options as `names` says (the command
 * line names them by its flags); undefined when nothing is.
 */
export function tlsProblem(
  endpoints: string[],
  tls: { [K in keyof GrpcTls]?: unknown } | undefined,
  names: Record<keyof GrpcTls, string> = { ca: 'tls.ca', cert: 'tls.cert', key: 'tls.key' },
): string | undefined {
  if (!tls) return undefined;
  if (tls.cert !== undefined && tls.key === undefined) return `${names.cert} needs ${names.key}: a client certificate goes with its private key`;
  if (tls.key !== undefined && tls.cert === undefined) return `${names.key} needs ${names.cert}: a private key goes with its client certificate`;
  const given = (['ca', 'cert', 'key'] as const).filter((name) => tls[name] !== undefined);
  if (given.length > 0 && endpoints.every((endpoint) => /^http:/i.test(endpoint))) {
    return `${given.map((name) => names[name]).join(', ')}: pointless when every etcd endpoint is http:// (use https:// endpoints)`;
  }
  return undefined;
}

export class GrpcChannel {
  private session?: http2.ClientHttp2Session;
  private endpoint = 0;
  /** Calls waiting for their answer and open streams: while there are any, the session holds the process open. */
  private inFlight = 0;
  private closed = false;
  private keepalive?: NodeJS.Timeout;

  constructor(private readonly options: GrpcChannelOptions) {
    if (options.endpoints.length === 0) throw new Error('a gRPC channel needs at least one endpoint');
    const problem = tlsProblem(options.endpoints, options.tls);
    if (problem) throw new Error(problem);
  }

  /** Sends one request message and resolves with the response message. */
  call(path: string, message: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const opened = this.open(path, message);
      if (opened instanceof GrpcError) return reject(opened);
      const { stream, status } = opened;
      const messages: Buffer[] = [];
      let problem: string | undefined;
      let received = 0;
      const read = messageReader((bytes) => messages.push(bytes), (reason) => (problem = reason));
      stream.on('data', (chunk: Buffer) => {
        received += chunk.length;
        read(chunk);
      });
      const deadlineMs = this.options.deadlineMs ?? 60_000;
      const deadline = setTimeout(() => {
        reject(new GrpcError(grpcStatus.deadlineExceeded, `${path}: etcd did not answer within ${deadlineMs} ms`));
        if (!stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
      }, deadlineMs);
      deadline.unref();
      stream.on('close', () => {
        clearTimeout(deadline);
        const failure = status();
        if (failure) return reject(failure);
        if (problem || messages.length !== 1 || received !== 5 + messages[0].length) {
          return reject(new GrpcError(grpcStatus.unavailable, `${path}: the answer is not one uncompressed gRPC message`));
        }
        resolve(messages[0]);
      });
      stream.end(frame(message));
    });
  }

  /**
   * Opens a streaming call and sends `first` on it. Every message that comes goes to `message`;
   * when the call ends other than by `cancel()`, `ended` is told why (also when it could not open).
   */
  stream(path: string, first: Buffer, handlers: GrpcStreamHandlers): GrpcStream {
    const opened = this.open(path, first);
    if (opened instanceof GrpcError) {
      queueMicrotask(() => handlers.ended(opened));
      return { cancel: () => undefined };
    }
    const { stream, status } = opened;
    let canceled = false;
    const fail = (problem: string) => {
      if (!stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
      if (!canceled) handlers.ended(new GrpcError(grpcStatus.unavailable, `${path}: ${problem}`));
      canceled = true;
    };
    const read = messageReader((bytes) => {
      if (canceled) return;
      try {
        handlers.message(bytes);
      } catch (e) {
        fail(`a message could not be read: ${e instanceof Error ? e.message : String(e)}`);
      }
    }, fail);
    stream.on('data', read);
    stream.on('close', () => {
      if (canceled) return;
      canceled = true;
      handlers.ended(status() ?? new GrpcError(grpcStatus.unavailable, `${path}: etcd ended the stream`));
    });
    stream.write(frame(first));
    return {
      cancel: () => {
        canceled = true;
        if (!stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
      },
    };
  }

  /**
   * A new stream on the session, counted in flight until it closes. `status()` is, once it has
   * closed, undefined for an OK status and the error otherwise.
   */
  private open(path: string, firstMessage: Buffer): { stream: http2.ClientHttp2Stream; status: () => GrpcError | undefined } | GrpcError {
    if (this.closed) return new GrpcError(grpcStatus.unavailable, 'the etcd client is closed');
    const limit = this.options.maxMessageBytes ?? defaultMaxMessageBytes;
    if (firstMessage.length > limit) {
      return new GrpcError(grpcStatus.resourceExhausted, `etcdserver: request is too large (${firstMessage.length} bytes; etcd reads at most ${limit})`);
    }
    let session: http2.ClientHttp2Session;
    let url: string;
    try {
      ({ session, url } = this.connected());
    } catch (e) {
      return new GrpcError(grpcStatus.unavailable, e instanceof Error ? e.message : String(e));
    }
    if (this.inFlight++ === 0) session.ref();
    const stream = session.request({
      [HTTP2_HEADER_METHOD]: 'POST',
      [HTTP2_HEADER_PATH]: path,
      [HTTP2_HEADER_CONTENT_TYPE]: 'application/grpc',
      [HTTP2_HEADER_TE]: 'trailers',
    });
    let code: number | undefined;
    let text = '';
    let streamError = '';
    const readStatus = (headers: http2.IncomingHttpHeaders) => {
      const value = headers['grpc-status'];
      if (value === undefined) return;
      code = Number(value);
      text = decodeMessage(String(headers['grpc-message'] ?? ''));
      // The answer is in: stop sending what is left of the request, as grpc-js does (etcd may
      // answer before it has read it all).
      if (!stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
    };
    stream.on('response', readStatus);
    stream.on('trailers', readStatus);
    // Every stream's failure is read here; 'close' follows and reports it through `status()`.
    stream.on('error', (e) => (streamError = `${url}: ${failure(e)}`));
    stream.on('close', () => {
      if (--this.inFlight > 0) return;
      for (const open of [session, this.session]) if (open && !open.destroyed) open.unref();
    });
    const status = (): GrpcError | undefined => {
      if (code === 0) return undefined;
      if (code !== undefined) return new GrpcError(code, text || `${path} failed with gRPC status ${code}`);
      return new GrpcError(grpcStatus.unavailable, `${path}: ${streamError || `the stream closed without a status (${stream.rstCode ?? 'no code'})`}`);
    };
    return { stream, status };
  }

  close(): void {
    this.closed = true;
    if (this.keepalive) clearInterval(this.keepalive);
    this.session?.close();
    this.session = undefined;
  }

  /** The open session, or a new one to the current endpoint; and the endpoint. */
  private connected(): { session: http2.ClientHttp2Session; url: string } {
    const url = this.options.endpoints[this.endpoint % this.options.endpoints.length];
    if (this.session && !this.session.closed && !this.session.destroyed) return { session: this.session, url };
    const tls = this.options.tls;
    const session = http2.connect(url, {
      // Lists of large objects come as large messages: a wide window keeps them streaming.
      settings: { initialWindowSize: 8 * 2 ** 20, enablePush: false },
      // For https:// only (http:// ignores them); without a CA, the system's roots.
      ca: tls?.ca,
      cert: tls?.cert,
      key: tls?.key,
    });
    session.on('connect', () => session.setLocalWindowSize(32 * 2 ** 20));
    const drop = () => {
      if (this.session !== session) return;
      this.session = undefined;
      // The next call tries the next endpoint.
      this.endpoint++;
      if (this.keepalive) clearInterval(this.keepalive);
      this.keepalive = undefined;
    };
    session.on('error', drop);
    session.on('goaway', drop);
    session.on('close', drop);
    if (this.inFlight === 0) session.unref();
    this.session = session;
    this.keepAlive(session);
    return { session, url };
  }

  /** Pings a quiet session; one that does not answer in time is destroyed, failing its calls. */
  private keepAlive(session: http2.ClientHttp2Session): void {
    if (this.keepalive) clearInterval(this.keepalive);
    const timeoutMs = this.options.keepaliveTimeoutMs ?? 10_000;
    this.keepalive = setInterval(() => {
      if (session.destroyed || session.connecting) return;
      const timer = setTimeout(() => session.destroy(new Error(`etcd did not answer a ping within ${timeoutMs} ms`)), timeoutMs);
      timer.unref();
      session.ping((error) => {
        clearTimeout(timer);
        if (error && !session.destroyed) session.destroy(error);
      });
    }, this.options.keepaliveMs ?? 30_000);
    this.keepalive.unref();
  }
}

/** A message in gRPC's frame: not compressed, its length, its bytes. */
function frame(message: Buffer): Buffer {
  const framed = Buffer.allocUnsafe(5 + message.length);
  framed[0] = 0;
  framed.writeUInt32BE(message.length, 1);
  message.copy(framed, 5);
  return framed;
}

/** Cuts the messages out of a stream's chunks, which split and join them anyhow; joins each message's chunks once. */
function messageReader(onMessage: (bytes: Buffer) => void, onProblem: (problem: string) => void): (chunk: Buffer) => void {
  let chunks: Buffer[] = [];
  let size = 0;
  let needed = 5;
  return (chunk) => {
    chunks.push(chunk);
    size += chunk.length;
    while (size >= needed) {
      let buffer = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
      if (buffer[0] !== 0) {
        needed = Infinity; // nothing more is read
        return onProblem('a message came compressed, which was not asked for');
      }
      const end = 5 + buffer.readUInt32BE(1);
      if (size < end) {
        chunks = [buffer];
        needed = end;
        return;
      }
      onMessage(buffer.subarray(5, end));
      buffer = buffer.subarray(end);
      chunks = buffer.length > 0 ? [buffer] : [];
      size = buffer.length;
      needed = 5;
    }
  };
}

/**
 * Why a stream failed, in the words that say it. A stream still waiting for its connection is
 * canceled with the connection's error as the cause (refused, a certificate not trusted); OpenSSL's
 * errors carry its whole line (codes, source file), where the reason is the part that speaks.
 */
function failure(e: Error & { code?: string }): string {
  // Not `instanceof Error`: Node's own errors can come from another realm (as under jest).
  const cause: unknown = e.code === 'ERR_HTTP2_STREAM_CANCEL' ? e.cause : undefined;
  const error = (typeof cause === 'object' && cause !== null && 'message' in cause ? cause : e) as Error & { reason?: unknown };
  return typeof error.reason === 'string' ? `TLS: ${error.reason}` : error.message;
}

/** grpc-message is percent-encoded. */
function decodeMessage(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
