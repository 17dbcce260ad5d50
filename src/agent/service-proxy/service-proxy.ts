/**
 * The node's service proxy (kube-proxy's userspace mode, for TCP):
 *
 *   Services + Endpoints (informers) ──► nodePortTable ──► one listener per nodePort and address
 *   connection on a nodePort ──► next ready endpoint (round-robin) ──► piped both ways
 *                                └─ refused or unreachable? the next one, until each was tried
 *
 * A change of Endpoints only changes where new connections go: established ones carry on. A
 * nodePort no Service holds any more stops accepting; its open connections are left to finish.
 */
import net from 'node:net';
import { Endpoints, Service } from '../../api/types';
import type { Informer } from '../../client';
import { errorMessage, logger } from '../../log';
import { NodePortEntry, nodePortTable, RoundRobin, targetKey } from './node-ports';

export interface ServiceProxyOptions {
  services: Informer<Service>;
  endpoints: Informer<Endpoints>;
  /** Addresses to listen on (default: 127.0.0.1). */
  addresses?: string[];
  /** How long a connection to an endpoint may take before the next is tried (default 3 s). */
  connectTimeoutMs?: number;
}

interface Listening {
  entry: NodePortEntry;
  balancer: RoundRobin;
  servers: net.Server[];
}

const log = logger('service-proxy');

export class ServiceProxy {
  private readonly listening = new Map<number, Listening>();
  private readonly connections = new Set<net.Socket>();
  private readonly removers: Array<() => void> = [];
  private scheduled = false;
  private stopped = false;
  private syncing: Promise<void> = Promise.resolve();

  constructor(private readonly options: ServiceProxyOptions) {}

  /** Follows the informers from now on (they may not have synced yet). */
  start(): void {
    const changed = () => this.schedule();
    for (const informer of [this.options.services, this.options.endpoints] as Informer[]) {
      this.removers.push(informer.addHandler({ onAdd: changed, onUpdate: changed, onDelete: changed }));
    }
    this.schedule();
  }

  /** The nodePorts listened on now, with their targets. */
  table(): NodePortEntry[] {
    return [...this.listening.values()].map((l) => ({ ...l.entry, targets: [...l.balancer.targets] }));
  }

  /** Resolves once the listeners match the informers' contents at the time of the call. */
  async settled(): Promise<void> {
    this.schedule();
    await new Promise((resolve) => setImmediate(resolve));
    await this.syncing;
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.syncing = this.syncing
        .then(() => this.sync())
        .catch((error) => {
          log.error('service proxy sync failed', { error: errorMessage(error) });
        });
    });
  }

  private async sync(): Promise<void> {
    if (this.stopped) return;
    const wanted = nodePortTable(this.options.services.list(), (key) => this.options.endpoints.get(key));
    for (const [nodePort, current] of this.listening) {
      if (wanted.has(nodePort)) continue;
      for (const server of current.servers) server.close();
      this.listening.delete(nodePort);
      log.info('stopped listening', { nodePort, service: current.entry.service });
    }
    for (const [nodePort, entry] of wanted) {
      let current = this.listening.get(nodePort);
      if (!current) {
        const servers = await this.listen(nodePort);
        if (servers.length === 0) continue;
        current = { entry, balancer: new RoundRobin(), servers };
        this.listening.set(nodePort, current);
        log.info('listening', { nodePort, service: entry.service, targets: entry.targets.length });
      }
      current.entry = entry;
      current.balancer.targets = entry.targets;
    }
  }

  private async listen(nodePort: number): Promise<net.Server[]> {
    const servers: net.Server[] = [];
    for (const address of this.options.addresses ?? ['127.0.0.1']) {
      const server = net.createServer({ allowHalfOpen: true }, (socket) => this.accept(nodePort, socket));
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(nodePort, address, () => {
            server.off('error', reject);
            resolve();
          });
        });
        servers.push(server);
      } catch (error) {
        // Someone else holds the port on this address: the next sync tries again.
        log.warn('cannot listen on a nodePort', { nodePort, address, error: errorMessage(error) });
      }
    }
    return servers;
  }

  private accept(nodePort: number, client: net.Socket): void {
    this.track(client);
    client.pause();
    client.on('error', () => client.destroy());
    const tried = new Set<string>();
    const attempt = () => {
      const current = this.listening.get(nodePort);
      const target = current?.balancer.pick(tried);
      if (!target || client.destroyed) {
        client.destroy();
        return;
      }
      tried.add(targetKey(target));
      const upstream = net.connect({ host: target.ip, port: target.port, allowHalfOpen: true });
      upstream.setTimeout(this.options.connectTimeoutMs ?? 3_000, () => upstream.destroy(new Error('connect timed out')));
      upstream.once('error', (error) => {
        log.debug('endpoint refused a connection; trying the next', { nodePort, target: targetKey(target), error: error.message });
        attempt();
      });
      upstream.once('connect', () => {
        upstream.setTimeout(0);
        upstream.removeAllListeners('error');
        this.track(upstream);
        // Each direction ends on its own (a client may half-close after its request); a reset ends both.
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
    };
    attempt();
  }

  private track(socket: net.Socket): void {
    this.connections.add(socket);
    socket.on('close', () => this.connections.delete(socket));
  }

  /** Stops listening and closes every connection it carries. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const remove of this.removers.splice(0)) remove();
    await this.syncing;
    const closing = [...this.listening.values()].flatMap((l) => l.servers).map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
    this.listening.clear();
    for (const socket of this.connections) socket.destroy();
    await Promise.all(closing);
  }
}
