/**
 * A TCP proxy in front of the API server, to make the network misbehave: delay what the server
 * sends (a lagging cache), or cut everything off without closing (a partition, where requests
 * hang rather than fail).
 */
import net from 'node:net';

export class TcpProxy {
  delayMs = 0;
  private partitioned = false;
  private readonly sockets = new Set<net.Socket>();
  private constructor(
    private readonly server: net.Server,
    readonly url: string,
  ) {}

  static async start(target: string): Promise<TcpProxy> {
    const { hostname, port } = new URL(target);
    let proxy: TcpProxy | undefined;
    const server = net.createServer((client) => proxy!.connect(client, hostname, Number(port)));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    proxy = new TcpProxy(server, `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`);
    return proxy;
  }

  /** From now on nothing passes either way; connections stay open and hang. */
  partition(): void {
    this.partitioned = true;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((r) => this.server.close(r));
  }

  private connect(client: net.Socket, host: string, port: number): void {
    const upstream = net.connect(port, host);
    this.sockets.add(client);
    this.sockets.add(upstream);
    const forward = (from: net.Socket, to: net.Socket, delayed: boolean) => {
      from.on('data', (chunk) => {
        if (this.partitioned) return;
        if (delayed && this.delayMs > 0) setTimeout(() => !to.destroyed && !this.partitioned && to.write(chunk), this.delayMs);
        else to.write(chunk);
      });
      from.on('close', () => {
        this.sockets.delete(from);
        if (!this.partitioned) setTimeout(() => to.destroy(), delayed ? this.delayMs : 0);
      });
      from.on('error', () => to.destroy());
    };
    forward(client, upstream, false);
    forward(upstream, client, true);
  }
}
