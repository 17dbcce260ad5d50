/**
 * `?watch=true`: a chunked stream of newline-terminated JSON events, as upstream writes them.
 *
 *   resourceVersion unset or "0" → ADDED for every current match, then changes
 *   resourceVersion N            → every change after N (Gone → one ERROR 410 event, then close)
 *   allowWatchBookmarks          → BOOKMARK now and then with the latest version seen
 *   sendInitialEvents            → the initial ADDED burst ends with an initial-events-end BOOKMARK
 *   timeoutSeconds               → the stream ends cleanly then (default: 30–60 minutes)
 */
import { Gone, isApiError } from '../../api/errors';
import type { Obj } from '../../api/object';
import type { WatchEventType } from '../../store/store';
import { withTypeMeta } from '../storage';
import { parseListQuery } from '../list-options';
import { toTable } from '../tables/table';
import type { ResourceType } from '../registry';
import type { WatchSink } from '../watch-cache';
import { negotiate, RequestContext, Representation } from './context';
import { watchMetrics } from '../metrics';
import { WatchOutput } from '../watch-output';

/** A watcher whose unsent output passes this many bytes is too slow and is cut off. */
const maxBufferedBytes = 32 * 1024 * 1024;

export async function watchObjects(ctx: RequestContext): Promise<void> {
  const representation = negotiate(ctx.req.headers.accept, ctx.query);
  const q = parseListQuery(ctx.type, ctx.query, ctx.info.namespace, ctx.info.name);
  const { res, type, services } = ctx;
  const cache = services.watchCaches.for(type);
  const encode = encoder(type, representation);

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  // A client gone before its watch began leaves nothing to write to.
  const socket = res.socket;
  if (!socket || socket.destroyed) return;

  const output = new WatchOutput(socket);
  let ended = false;
  let subscription: { close(): void } | undefined;
  let timer: NodeJS.Timeout | undefined;
  const finish = () => {
    if (ended) return;
    ended = true;
    subscription?.close();
    if (timer) clearTimeout(timer);
    watchMetrics.watchers.dec({ resource: type.plural });
    output.flush();
    res.end();
  };
  watchMetrics.watchers.inc({ resource: type.plural });
  ctx.req.on('close', finish);
  res.on('error', finish);

  // Each event is its own HTTP/1.1 chunk, framed here and written to the socket without the
  // response: a fan-out writes every event to every watcher, and ServerResponse.write costs three
  // stream writes and a tick per chunk. The response's own end() writes the last chunk.
  const write = (chunks: Buffer): boolean => {
    if (ended) return true;
    output.write(chunks);
    return output.unsentBytes < maxBufferedBytes;
  };
  const sendError = (e: unknown) => {
    const status = isApiError(e) ? e.toStatus() : new Gone(String(e)).toStatus();
    write(chunk(JSON.stringify({ type: 'ERROR', object: status }) + '\n'));
    finish();
  };

  const timeoutSeconds = q.timeoutSeconds ?? services.minRequestTimeoutSeconds * (1 + Math.random());
  timer = setTimeout(finish, timeoutSeconds * 1000);
  timer.unref();

  const sink: WatchSink = {
    send: (events) => write(events.length === 1 ? encode(events[0].type, events[0].object) : Buffer.concat(events.map((e) => encode(e.type, e.object)))),
    bookmark: (revision) => {
      write(chunk(JSON.stringify({ type: 'BOOKMARK', object: bookmarkObject(type, revision) }) + '\n'));
    },
    end: (reason) => (reason ? sendError(isApiError(reason) ? reason : new Gone(reason.message)) : finish()),
  };
  try {
    let from: number;
    const initial = q.resourceVersion === undefined || q.resourceVersion === '0' || q.sendInitialEvents === true;
    if (initial) {
      const list = await services.storage.list(type, ctx.info.namespace, { labelSelector: q.labelSelector, filter: q.filter });
      from = Number(list.resourceVersion);
      if (list.items.length > 0) write(Buffer.concat(list.items.map((o) => encode('ADDED', o))));
      if (q.sendInitialEvents) {
        const end = bookmarkObject(type, from);
        end.metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
        write(chunk(JSON.stringify({ type: 'BOOKMARK', object: end }) + '\n'));
      }
    } else {
      from = Number(q.resourceVersion);
    }
    if (ended) return;
    const labels = q.labelSelector;
    const fields = q.filter;
    const matches = labels ? (o: Obj) => labels.matches(o.metadata.labels ?? {}) && (!fields || fields(o)) : fields;
    subscription = await cache.subscribe(from, matches, sink, q.allowWatchBookmarks);
    if (ended) subscription.close();
  } catch (e) {
    sendError(e);
  }
}

function bookmarkObject(type: ResourceType, revision: number): Obj {
  return { kind: type.kind, apiVersion: type.groupVersion, metadata: { resourceVersion: String(revision) } };
}

/** One event line as an HTTP/1.1 chunk: its byte length in hex, the bytes, CRLF. */
function chunk(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, crlf]);
}

const crlf = Buffer.from('\r\n');

/** Encodes one event as a framed chunk (see `chunk`). */
type Encoder = (type: WatchEventType, object: Obj) => Buffer;

/**
 * Encodes events for one watcher. Plain JSON lines are shared by every watcher of the same
 * version: the chunk is computed once per stored object and event type.
 */
function encoder(type: ResourceType, representation: Representation): Encoder {
  if (representation.as === 'table') {
    let first = true;
    return (eventType, object) => {
      const table = toTable(type, [withTypeMeta(type, object)], { includeObject: representation.includeObject, noHeaders: !first, resourceVersion: object.metadata.resourceVersion });
      first = false;
      return chunk(JSON.stringify({ type: eventType, object: { ...table, apiVersion: `meta.k8s.io/${representation.version}` } }) + '\n');
    };
  }
  if (representation.as === 'metadata') {
    return (eventType, object) =>
      chunk(JSON.stringify({ type: eventType, object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata } }) + '\n');
  }
  return (eventType, object) => encodedLine(type, eventType, object);
}

/**
 * Encoded once, written to every watcher: the bytes themselves, so no write re-encodes them.
 * Every watcher of a resource is sent an event in the same dispatch, so only the most recent
 * objects need their bytes kept; holding them for as long as the watch cache holds the object
 * (a WeakMap on it) doubled the memory of every event in the ring. A replay to a new watcher
 * encodes again.
 */
const lines = new Map<Obj, Map<string, Buffer>>();
const recentObjects = 2048;

function encodedLine(type: ResourceType, eventType: WatchEventType, object: Obj): Buffer {
  const cacheKey = `${eventType} ${type.groupVersion}`;
  let forObject = lines.get(object);
  let line = forObject?.get(cacheKey);
  if (line === undefined) {
    line = chunk(JSON.stringify({ type: eventType, object: withTypeMeta(type, object) }) + '\n');
    if (!forObject) {
      lines.set(object, (forObject = new Map()));
      if (lines.size > recentObjects) lines.delete(lines.keys().next().value!);
    }
    forObject.set(cacheKey, line);
  }
  return line;
}
