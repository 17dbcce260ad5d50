/**
 * The creates' second baseline: a bare Node relay doing only what any API server's create must
 * do. Each `POST` (a JSON object) is parsed, written to etcd once with the store's own
 * compare-and-swap (a txn: create only if the key is absent) through the same KV client, and
 * answered 201 with the object. No admission, no defaults, no managedFields, no watch cache:
 * what is left is HTTP in, JSON, one etcd transaction and HTTP out, on one Node thread.
 *
 *   node dist/bench/support/relay-server.js ETCD_ENDPOINT   (prints "listening on http://127.0.0.1:PORT")
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EtcdKv } from '../../src/store/etcd-kv';

const kv = new EtcdKv({ endpoints: [process.argv[2]] });

async function relay(body: Buffer): Promise<{ code: number; text: string }> {
  const object = JSON.parse(body.toString()) as { metadata: { name: string } };
  const key = Buffer.from(`/bench-relay/${object.metadata.name}`);
  const text = JSON.stringify(object);
  const { succeeded } = await kv.txn({ compare: [{ key, target: 'create', equals: 0 }], success: [{ put: { key, value: Buffer.from(text) } }] });
  return succeeded ? { code: 201, text } : { code: 409, text: '{"kind":"Status","reason":"AlreadyExists"}' };
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    relay(Buffer.concat(chunks)).then(
      ({ code, text }) => res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) }).end(text),
      (e: unknown) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(String(e)),
    );
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => {
  kv.close();
  process.exit(0);
});
