import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Invalid, NotFound, Timeout, TooManyRequests, Unauthorized, Unavailable, Gone } from '../../src/api/errors';
import { ApiClient, jsonLines } from '../../src/client/api-client';
import { Client } from '../../src/client/client';
import { connectionFrom } from '../../src/client/connection';
import { kinds } from '../../src/client/kinds';
import { TokenAuthenticator } from '../../src/apiserver/auth';
import { ensureAutoTls, readTls } from '../../src/apiserver/tls';
import { startTestApiServer } from '../support/api-server';
import { connectionTo } from './support';

/** A server that answers from a script, recording what it was asked. */
async function scripted(handler: (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void) {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    handler(req, res, seen.length);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

const status = (code: number, reason: string, message: string) => JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message });

async function* chunks(...parts: Array<string | Buffer>) {
  for (const p of parts) yield typeof p === 'string' ? Buffer.from(p) : p;
}

async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const l of lines) out.push(l);
  return out;
}

describe('json lines', () => {
  it('joins lines split across chunks, multi-byte characters included, and never yields a half line', async () => {
    const snowman = Buffer.from('{"s":"☃"}\n');
    const lines = await collect(jsonLines(chunks('{"a":', '1}\n{"b"', ':2}\n\n', snowman.subarray(0, 7), snowman.subarray(7), '{"cut":')));
    expect(lines).toEqual(['{"a":1}', '{"b":2}', '{"s":"☃"}']);
  });
});

describe('api client against scripted answers', () => {
  it('turns a Status into its catalogue error, and a non-Status answer into one by code', async () => {
    const s = await scripted((_req, res, n) => {
      res.writeHead(n === 1 ? 404 : n === 2 ? 422 : 401, { 'Content-Type': n === 3 ? 'text/html' : 'application/json' });
      res.end(n === 1 ? status(404, 'NotFound', 'configmaps "x" not found') : n === 2 ? status(422, 'Invalid', 'bad') : '<html>login</html>');
    });
    const api = new ApiClient(connectionTo(s.url));
    await expect(api.request('GET', '/api/v1/x')).rejects.toThrow(new NotFound('configmaps "x" not found'));
    await expect(api.request('GET', '/api/v1/x')).rejects.toBeInstanceOf(Invalid);
    const unauthorized = api.request('GET', '/api/v1/x');
    await expect(unauthorized).rejects.toBeInstanceOf(Unauthorized);
    await expect(unauthorized).rejects.toThrow('<html>login</html>');
    api.close();
    await s.close();
  });

  it('retries 429 and 503 on reads, honouring Retry-After, but not on creates', async () => {
    const s = await scripted((req, res, n) => {
      if (req.method === 'GET' && n < 3) {
        res.writeHead(n === 1 ? 429 : 503, { 'Retry-After': '0', 'Content-Type': 'application/json' });
        res.end(status(n === 1 ? 429 : 503, n === 1 ? 'TooManyRequests' : 'ServiceUnavailable', 'busy'));
        return;
      }
      if (req.method === 'POST') {
        res.writeHead(429, { 'Content-Type': 'application/json' });
        res.end(status(429, 'TooManyRequests', 'busy'));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"ok":true}');
    });
    const api = new ApiClient(connectionTo(s.url), { retryBaseMs: 5 });
    expect(await api.request('GET', '/r')).toEqual({ ok: true });
    await expect(api.request('POST', '/r', { body: {} })).rejects.toBeInstanceOf(TooManyRequests);
    expect(s.seen).toEqual(['GET /r', 'GET /r', 'GET /r', 'POST /r']);
    api.close();
    await s.close();
  });

  it('gives up on a request past its timeout', async () => {
    const s = await scripted(() => undefined);
    const api = new ApiClient(connectionTo(s.url), { timeoutMs: 100 });
    const started = Date.now();
    await expect(api.request('GET', '/slow')).rejects.toBeInstanceOf(Timeout);
    expect(Date.now() - started).toBeLessThan(1000);
    api.close();
    await s.close();
  });

  it('gives up on an answer whose body stalls past the timeout', async () => {
    const s = await scripted((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"kind":');
    });
    const api = new ApiClient(connectionTo(s.url), { timeoutMs: 100 });
    await expect(api.request('GET', '/stalls')).rejects.toBeInstanceOf(Timeout);
    api.close();
    await s.close();
  });

  it('ends a request when its signal aborts, with the signal\'s reason, and sends no retry', async () => {
    const s = await scripted(() => undefined);
    const api = new ApiClient(connectionTo(s.url), { timeoutMs: 5000 });
    const abort = new AbortController();
    setTimeout(() => abort.abort(new Error('caller gave up')), 50);
    await expect(api.request('GET', '/slow', { signal: abort.signal })).rejects.toThrow('caller gave up');
    await expect(api.request('GET', '/never', { signal: abort.signal })).rejects.toThrow('caller gave up');
    expect(s.seen).toEqual(['GET /slow']);
    api.close();
    await s.close();
  });

  it('lets a stream run past the timeout once its headers came in time', async () => {
    const s = await scripted((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.flushHeaders();
      setTimeout(() => res.end('{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"7"}}}\n'), 300);
    });
    const api = new ApiClient(connectionTo(s.url), { timeoutMs: 100 });
    const events = [];
    for await (const event of api.watch('/api/v1/pods', {}, new AbortController().signal)) events.push(event.object.metadata.resourceVersion);
    expect(events).toEqual(['7']);
    api.close();
    await s.close();
  });

  it('reads watch events whole however the stream is chunked, and throws an ERROR event as its error', async () => {
    const s = await scripted((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const line = JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'a', resourceVersion: '5' } } }) + '\n';
      res.write(line.slice(0, 10));
      setTimeout(() => res.write(line.slice(10) + '{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"6"}}}\n{"type":"ERR'), 20);
      setTimeout(() => res.end(`OR","object":${status(410, 'Expired', 'too old resource version: 6 (9)')}}\n`), 40);
    });
    const api = new ApiClient(connectionTo(s.url));
    const seen: string[] = [];
    const watching = (async () => {
      for await (const e of api.watch('/api/v1/configmaps', {}, new AbortController().signal)) seen.push(`${e.type} ${e.object.metadata.resourceVersion}`);
    })();
    await expect(watching).rejects.toBeInstanceOf(Gone);
    expect(seen).toEqual(['ADDED 5', 'BOOKMARK 6']);
    expect(s.seen[0]).toBe('GET /api/v1/configmaps?watch=true');
    api.close();
    await s.close();
  });

  it('ends a watch quietly when its signal aborts', async () => {
    const s = await scripted((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n');
    });
    const api = new ApiClient(connectionTo(s.url));
    const abort = new AbortController();
    let count = 0;
    for await (const _ of api.watch('/api/v1/pods', {}, abort.signal)) {
      count++;
      abort.abort();
    }
    expect(count).toBe(1);
    api.close();
    await s.close();
  });

  it('reports a stream cut mid-watch as Unavailable', async () => {
    const s = await scripted((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n{"type":"MOD');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const api = new ApiClient(connectionTo(s.url));
    const seen: string[] = [];
    const watching = (async () => {
      for await (const e of api.watch('/api/v1/pods', {}, new AbortController().signal)) seen.push(e.type);
    })();
    await expect(watching).rejects.toBeInstanceOf(Unavailable);
    expect(seen).toEqual(['ADDED']);
    api.close();
    await s.close();
  });
});

describe('api client over https with a token', () => {
  it('talks to a TLS server through a kubeconfig with its CA and token, and is refused without them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-client-tls-'));
    const files = ensureAutoTls(path.join(dir, 'pki'));
    const tls = readTls(files);
    const authenticator = TokenAuthenticator.fromEntries([['s3cret', { name: 'admin', uid: '1', groups: ['system:masters'] }]]);
    const server = await startTestApiServer('sqlite', { tls, authenticator });
    const kubeconfig = path.join(dir, 'kubeconfig');
    fs.writeFileSync(
      kubeconfig,
      `apiVersion: v1\nkind: Config\ncurrent-context: t\nclusters:\n- name: t\n  cluster:\n    server: ${server.url}\n    certificate-authority: pki/ca.crt\nusers:\n- name: u\n  user: {token: s3cret}\ncontexts:\n- name: t\n  context: {cluster: t, user: u}\n`,
    );
    const good = new Client(connectionFrom({ kubeconfig, env: {} }));
    expect((await good.resource(kinds.Namespace).list()).items.map((n) => n.metadata.name)).toContain('default');

    const noToken = new Client(connectionFrom({ kubeconfig, token: '', env: {} }));
    await expect(noToken.resource(kinds.Namespace).list()).rejects.toBeInstanceOf(Unauthorized);

    const noCa = new Client({ server: server.url, token: 's3cret', insecureSkipTlsVerify: false, namespace: 'default', source: 'test' }, { maxRetries: 0 });
    await expect(noCa.resource(kinds.Namespace).list()).rejects.toThrow(/presented a certificate this client does not trust .*--certificate-authority/);

    const skip = new Client(connectionFrom({ server: server.url, token: 's3cret', insecureSkipTlsVerify: true, env: {} }));
    expect((await skip.resource(kinds.Namespace).get('default')).metadata.name).toBe('default');

    for (const c of [good, noToken, noCa, skip]) c.close();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
