/**
 * Unary gRPC calls to etcd over Node's own HTTP/2, without grpc-js: one HTTP/2 session (to the
 * next endpoint after one fails), a stream per call, the message framed as gRPC frames it (a flag
 * byte, a 4-byte length, the bytes), the answer's status read from its trailers.
 *
 *   call(path, bytes) ─► session (connected on first use; the next endpoint after a failure)
 *                          └─► stream: HEADERS + DATA ─► DATA … ─► trailers grpc-status
 *
 * grpc-js and etcd3's pool around it were a third of the API server's CPU per write (bench/api);
 * the store's calls need none of their generality. etcd's watch stays on etcd3.
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

export interface GrpcChannelOptions {
  /** Client URLs, e.g. `http://127.0.0.1:2379`. */
  endpoints: string[];
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

export class GrpcChannel {
  private session?: http2.ClientHttp2Session;
  private endpoint = 0;
  /** Calls waiting for their answer: while there are any, the session holds the process open. */
  private inFlight = 0;
  private closed = false;
  private keepalive?: NodeJS.Timeout;

  constructor(private readonly options: GrpcChannelOptions) {
    if (options.endpoints.length === 0) throw new Error('a gRPC channel needs at least one endpoint');
  }

  /** Sends one request message and resolves with the response message. */
  call(path: string, message: Buffer): Promise<Buffer> {
    if (this.closed) return Promise.reject(new GrpcError(grpcStatus.unavailable, 'the etcd client is closed'));
    const limit = this.options.maxMessageBytes ?? defaultMaxMessageBytes;
    if (message.length > limit) {
      return Promise.reject(new GrpcError(grpcStatus.resourceExhausted, `etcdserver: request is too large (${message.length} bytes; etcd reads at most ${limit})`));
    }
    return new Promise((resolve, reject) => {
      let session: http2.ClientHttp2Session;
      try {
        session = this.connected();
      } catch (e) {
        reject(new GrpcError(grpcStatus.unavailable, e instanceof Error ? e.message : String(e)));
        return;
      }
      if (this.inFlight++ === 0) session.ref();
      const settled = () => {
        if (--this.inFlight > 0) return;
        for (const open of [session, this.session]) if (open && !open.destroyed) open.unref();
      };
      const stream = session.request({
        [HTTP2_HEADER_METHOD]: 'POST',
        [HTTP2_HEADER_PATH]: path,
        [HTTP2_HEADER_CONTENT_TYPE]: 'application/grpc',
        [HTTP2_HEADER_TE]: 'trailers',
      });
      const chunks: Buffer[] = [];
      let status: number | undefined;
      let statusMessage = '';
      const readStatus = (headers: http2.IncomingHttpHeaders) => {
        const code = headers['grpc-status'];
        if (code === undefined) return;
        status = Number(code);
        statusMessage = decodeMessage(String(headers['grpc-message'] ?? ''));
        // The answer is in: stop sending what is left of the request, as grpc-js does (etcd may
        // answer before it has read it all).
        if (!stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
      };
      stream.on('response', readStatus);
      stream.on('trailers', readStatus);
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (e) => reject(new GrpcError(grpcStatus.unavailable, `${path}: ${e.message}`)));
      const deadlineMs = this.options.deadlineMs ?? 60_000;
      const deadline = setTimeout(() => {
        reject(new GrpcError(grpcStatus.deadlineExceeded, `${path}: etcd did not answer within ${deadlineMs} ms`));
        if (!stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
      }, deadlineMs);
      deadline.unref();
      stream.on('close', () => {
        clearTimeout(deadline);
        settled();
        if (status === undefined) return reject(new GrpcError(grpcStatus.unavailable, `${path}: the stream closed without a status (${stream.rstCode ?? 'no code'})`));
        if (status !== 0) return reject(new GrpcError(status, statusMessage || `${path} failed with gRPC status ${status}`));
        const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
        if (body.length < 5 || body[0] !== 0 || body.readUInt32BE(1) !== body.length - 5) {
          return reject(new GrpcError(grpcStatus.unavailable, `${path}: the answer is not one uncompressed gRPC message`));
        }
        resolve(body.subarray(5));
      });
      const frame = Buffer.allocUnsafe(5 + message.length);
      frame[0] = 0;
      frame.writeUInt32BE(message.length, 1);
      message.copy(frame, 5);
      stream.end(frame);
    });
  }

  close(): void {
    this.closed = true;
    if (this.keepalive) clearInterval(this.keepalive);
    this.session?.close();
    this.session = undefined;
  }

  /** The open session, or a new one to the current endpoint. */
  private connected(): http2.ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    const url = this.options.endpoints[this.endpoint % this.options.endpoints.length];
    const session = http2.connect(url, {
      // Lists of large objects come as large messages: a wide window keeps them streaming.
      settings: { initialWindowSize: 8 * 2 ** 20, enablePush: false },
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
    return session;
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

/** grpc-message is percent-encoded. */
function decodeMessage(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
