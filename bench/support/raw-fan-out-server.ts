/**
 * The fan-out baseline: a bare Node HTTP server doing only what a watch fan-out must do. Every
 * `GET /watch` is held open as a chunked response; every `POST /write` (a ConfigMap as JSON)
 * is framed once as a watch event line and written to every held response, then answered 201.
 * No store, no cache, no filtering: the same bytes over the same sockets, to compare with.
 *
 *   node dist/bench/support/raw-fan-out-server.js   (prints "listening on http://127.0.0.1:PORT")
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const watchers = new Set<http.ServerResponse>();

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url?.includes('watch=true')) {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    watchers.add(res);
    req.on('close', () => watchers.delete(res));
    return;
  }
  if (req.method === 'POST') {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const object = JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>;
      const line = Buffer.from(`${JSON.stringify({ type: 'ADDED', object })}\n`);
      const chunk = Buffer.concat([Buffer.from(`${line.length.toString(16)}\r\n`), line, Buffer.from('\r\n')]);
      for (const w of watchers) w.socket?.write(chunk);
      res.writeHead(201, { 'Content-Type': 'application/json' }).end('{}');
    });
    return;
  }
  res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"metadata":{"resourceVersion":"1"}}');
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
