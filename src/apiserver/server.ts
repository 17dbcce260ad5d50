/**
 * The API server: the one door to the store.
 *
 *   request ─► authenticate ─► non-resource? (health, version, metrics, discovery, openapi)
 *           └► resource: registry lookup ─► handler by verb and subresource ─► storage ─► store
 *                                                        watch ─► watch cache ─► store watch
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { builtinKinds } from '../../crds';
import { BadRequest, MethodNotAllowed, NotFound, Unavailable } from '../api/errors';
import { errorMessage, logger } from '../log';
import { Compactor } from '../store/compactor';
import type { Store } from '../store/store';
import { defaultAdmission } from './admission';
import type { Admission } from './admission/admission';
import { TokenAuthenticator, type User } from './auth';
import { CustomResourceDefinitions } from './custom-resources';
import { Discovery } from './discovery';
import { fieldOwnership } from './field-ownership';
import { schemaFieldCheck } from './field-schemas';
import { RequestContext } from './handlers/context';
import { refuseUpgrade, upgradeExec } from './handlers/exec';
import { getObject, listObjects } from './handlers/read';
import { createObject, deleteCollection, deleteOne, updateObject } from './handlers/write';
import { patchObject } from './handlers/patch';
import { watchObjects } from './handlers/watch';
import { subresourceHandler } from './handlers/subresources';
import { asApiError, sendError, sendJson, sendRaw } from './http';
import { instrumentStore } from './instrumented-store';
import { metricsRegistry, requestMetrics } from './metrics';
import { Namespaces } from './namespaces';
import { NodeCommitments } from './node-commitments';
import { serveOpenApi } from './openapi';
import { Registry } from './registry';
import { requestInfo, RequestInfo, ResourceRequest } from './request-info';
import { findReview, serveReview } from './reviews';
import type { Services } from './services';
import { ResourceStorage } from './storage';
import type { TlsMaterial } from './tls';
import { WatchCacheSet } from './watch-caches';
import { versionInfo } from './version';
import type { NodeExec } from './node-exec';
import type { NodeLogs } from './node-logs';

const log = logger('apiserver');

export interface ApiServerOptions {
  store: Store;
  tls?: TlsMaterial;
  authenticator?: TokenAuthenticator;
  admission?: Admission;
  /** How often idle watchers that asked for bookmarks get one (default 60 s). */
  bookmarkIntervalMs?: number;
  /** Watches without timeoutSeconds last this long times a random factor in [1, 2) (default 1800 s). */
  minRequestTimeoutSeconds?: number;
  /** How often history is compacted (default 5 minutes; 0 turns it off). */
  compactionIntervalMs?: number;
  /** Events kept per resource for resuming watchers (default 10,000). */
  watchCacheCapacity?: number;
  /** Where pod logs come from (the node agents); without it pods/log answers that no agent serves logs. */
  nodeLogs?: NodeLogs;
  /** Commands in pods' containers (kubectl exec) through the node agents. */
  nodeExec?: NodeExec;
}

export class ApiServer {
  readonly registry: Registry;
  readonly services: Services;
  private readonly discovery: Discovery;
  private readonly namespaces: Namespaces;
  private readonly commitments: NodeCommitments;
  private readonly caches: WatchCacheSet;
  private readonly crds: CustomResourceDefinitions;
  private readonly compactor?: Compactor;
  private readonly authenticator: TokenAuthenticator;
  private server?: http.Server;
  private readonly sockets = new Set<import('node:net').Socket>();
  private closing = false;

  private constructor(private readonly options: ApiServerOptions) {
    const store = instrumentStore(options.store);
    this.registry = new Registry(builtinKinds);
    this.authenticator = options.authenticator ?? TokenAuthenticator.none();
    this.namespaces = new Namespaces(this.registry);
    this.commitments = new NodeCommitments(this.registry);
    this.caches = new WatchCacheSet(store, { bookmarkIntervalMs: options.bookmarkIntervalMs, capacity: options.watchCacheCapacity });
    const admission = options.admission ?? defaultAdmission(this.registry);
    const storage = new ResourceStorage(store, admission, fieldOwnership, this.namespaces);
    this.services = {
      registry: this.registry,
      storage,
      watchCaches: this.caches,
      admission,
      schemas: schemaFieldCheck,
      minRequestTimeoutSeconds: options.minRequestTimeoutSeconds ?? 1800,
      nodeLogs: options.nodeLogs,
      nodeExec: options.nodeExec,
      commitments: this.commitments,
    };
    this.discovery = new Discovery(this.registry);
    this.crds = new CustomResourceDefinitions(this.registry, this.services, this.caches);
    const every = options.compactionIntervalMs ?? 5 * 60_000;
    if (every > 0) this.compactor = new Compactor(options.store, every);
  }

  /** Builds the server and starts what runs inside it; `listen` opens the port. */
  static async start(options: ApiServerOptions): Promise<ApiServer> {
    const server = new ApiServer(options);
    for (const type of server.registry.all()) await server.caches.for(type).start();
    await server.namespaces.start(server.services.storage, server.caches);
    await server.commitments.start(server.services.storage, server.caches);
    await server.crds.start();
    server.compactor?.start();
    return server;
  }

  async listen(port: number, host = '127.0.0.1'): Promise<string> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
      // handle() answers every error itself; this only keeps a bug in that from ending the process.
      this.handle(req, res).catch((e) => {
        log.error('request handling failed', { path: req.url, error: errorMessage(e) });
        if (!res.headersSent) sendError(res, e);
        else res.destroy();
      });
    };
    const server = this.options.tls ? https.createServer({ cert: this.options.tls.cert, key: this.options.tls.key }, handler) : http.createServer(handler);
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 70_000;
    server.requestTimeout = 0; // watches and log streams are long; each handler bounds its own time
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.on('clientError', (_e, socket) => socket.destroy());
    server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void this.upgrade(req, socket, head));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    return `${this.options.tls ? 'https' : 'http'}://${address.address}:${address.port}`;
  }

  /**
   * Shuts down: new requests get 503 and their connection closed; watches end cleanly (their
   * clients resume elsewhere, or re-list); the listener closes; connections still open after a
   * moment (a log being followed) are cut.
   */
  async close(): Promise<void> {
    this.closing = true;
    this.compactor?.stop();
    this.crds.stop();
    this.namespaces.stop();
    this.commitments.stop();
    this.caches.close();
    const server = this.server;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const cut = setTimeout(() => {
      for (const s of this.sockets) s.destroy();
    }, 500);
    await closed;
    clearTimeout(cut);
  }

  /** Connection upgrades: pods/exec over WebSocket; anything else is refused with a Status. */
  private async upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    try {
      if (this.closing) throw new Unavailable('the server is shutting down');
      const url = requestUrl(req);
      const info = requestInfo(req.method ?? 'GET', url.pathname, url.searchParams);
      this.authenticator.authenticate(req, url.pathname);
      if (!info.isResource || info.group !== '' || info.resource !== 'pods' || info.subresource !== 'exec' || !info.name) {
        throw new NotFound('the server could not find the requested resource');
      }
      await upgradeExec(this.services, req, socket, head, info, url.searchParams);
    } catch (e) {
      refuseUpgrade(socket, asApiError(e, { method: req.method, path: req.url }));
    }
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    let info: RequestInfo | undefined;
    try {
      if (this.closing) {
        res.setHeader('Connection', 'close');
        throw new Unavailable('the server is shutting down');
      }
      const url = requestUrl(req);
      info = requestInfo(req.method ?? 'GET', url.pathname, url.searchParams);
      const user = this.authenticator.authenticate(req, url.pathname);
      if (!info.isResource) await this.serveNonResource(req, res, url);
      else await this.serveResource(req, res, info, url.searchParams, user);
    } catch (e) {
      const error = asApiError(e, { method: req.method, path: req.url });
      if (res.headersSent) {
        res.end();
      } else {
        sendError(res, error);
      }
    } finally {
      const labels = info?.isResource ? { verb: info.verb, resource: info.resource, subresource: info.subresource ?? '' } : { verb: (req.method ?? 'GET').toLowerCase(), resource: '', subresource: '' };
      requestMetrics.total.inc({ ...labels, code: String(res.statusCode) });
      if (!(info?.isResource && info.verb === 'watch')) {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        requestMetrics.duration.observe({ verb: labels.verb, resource: labels.resource }, seconds);
        // winston formats a message before its transports drop it by level: ask first, on this hot path.
        if (log.isDebugEnabled()) log.debug('request', { method: req.method, path: req.url, code: res.statusCode, ms: Math.round(seconds * 1000) });
      }
    }
  }

  private async serveNonResource(req: http.IncomingMessage, res: http.ServerResponse, url: Target): Promise<void> {
    const path = url.pathname.replace(/\/+$/, '') || '/';
    switch (path) {
      case '/healthz':
      case '/livez':
        sendRaw(res, 200, 'ok', 'text/plain');
        return;
      case '/readyz':
        try {
          await this.services.storage.store.currentRevision();
          sendRaw(res, 200, 'ok', 'text/plain');
        } catch (e) {
          sendRaw(res, 503, `store not reachable: ${errorMessage(e)}`, 'text/plain');
        }
        return;
      case '/version':
        sendJson(res, 200, versionInfo());
        return;
      case '/metrics':
        sendRaw(res, 200, await metricsRegistry.metrics(), metricsRegistry.contentType);
        return;
    }
    if (path.startsWith('/openapi/')) {
      serveOpenApi(req, res, path, this.registry);
      return;
    }
    if (this.discovery.serve(req, res, path)) return;
    if (path === '/') {
      sendJson(res, 200, { paths: ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/readyz', '/metrics', '/openapi/v2', '/openapi/v3', '/version'] });
      return;
    }
    throw new NotFound('the server could not find the requested resource');
  }

  private async serveResource(req: http.IncomingMessage, res: http.ServerResponse, info: ResourceRequest, query: URLSearchParams, user: User): Promise<void> {
    const review = findReview(info.group, info.version, info.resource);
    if (review) return serveReview(review, req, res, info, query, { user, authenticating: this.authenticator.enabled });
    const type = this.registry.get(info.group, info.version, info.resource);
    if (!type) throw new NotFound('the server could not find the requested resource');
    if (!type.namespaced && info.namespace !== undefined) throw new NotFound('the server could not find the requested resource');
    if (type.namespaced && info.namespace === undefined && info.name !== undefined) throw new NotFound('the server could not find the requested resource');
    const ctx: RequestContext = { req, res, query, info, type, services: this.services, user: user.name };
    if (info.subresource) {
      await subresourceHandler(ctx);
      return;
    }
    switch (info.verb) {
      case 'get':
        return getObject(ctx);
      case 'list':
        return listObjects(ctx);
      case 'watch':
        return watchObjects(ctx);
      case 'create':
        if (info.name !== undefined) throw new MethodNotAllowed(`create is not supported on a named ${type.plural} resource`);
        return createObject(ctx);
      case 'update':
        return updateObject(ctx);
      case 'patch':
        return patchObject(ctx);
      case 'delete':
        return deleteOne(ctx);
      case 'deletecollection':
        return deleteCollection(ctx);
    }
  }
}

/** What the server reads of a request target: its path, and its query parameters. */
interface Target {
  pathname: string;
  searchParams: URLSearchParams;
}

/**
 * The request's path and query. A plain path (what every client sends) is split by hand, which
 * costs a fraction of the URL parser; anything else goes through the parser, and a target it
 * does not accept (`//[x`) is the client's error.
 */
function requestUrl(req: http.IncomingMessage): Target {
  const target = req.url ?? '/';
  const question = target.indexOf('?');
  const pathname = question < 0 ? target : target.slice(0, question);
  if (/^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/.test(pathname) && !pathname.startsWith('//')) {
    return { pathname, searchParams: new URLSearchParams(question < 0 ? '' : target.slice(question + 1)) };
  }
  try {
    return new URL(target, 'http://localhost');
  } catch {
    throw new BadRequest(`the request target "${target}" is not a valid path`);
  }
}
