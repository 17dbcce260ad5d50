/**
 * Bodies nested far too deep, sent to `berth server` in a process of its own: each is refused
 * with a 400 that says so, and the server is still there afterwards. Composing YAML recurses
 * once per level; a server-side apply 1,000 levels deep once exhausted the stack and V8 then
 * aborted the whole process, which an in-process server in a test did not show.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCli } from '../support/berth-server';
import { freePort } from '../support/ports';

const collection = '/api/v1/namespaces/default/configmaps';
const configMap = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'deep' }, data: { a: '1' } });
const withField = (name: string, value: string) => configMap.replace(/^\{/, `{"${name}":${value},`);

describe('bodies nested too deep, against berth server in its own process', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof startCli>>;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-deep-'));
    server = await startCli(['--listen', `127.0.0.1:${await freePort()}`, '--store', `sqlite:${path.join(dir, 'state.db')}`]);
  });
  afterAll(async () => {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const send = async (method: string, url: string, contentType: string, body: string) => {
    const res = await fetch(server.url + url, { method, headers: { 'Content-Type': contentType }, body });
    return { code: res.status, message: ((await res.json()) as { message?: string }).message };
  };

  it.each([
    ['flow sequences', (d: number) => '['.repeat(d) + ']'.repeat(d)],
    ['flow mappings', (d: number) => '{"a":'.repeat(d) + '1' + '}'.repeat(d)],
  ])('refuses %s 1,000 and 20,000 deep in an apply and a YAML create, and keeps serving', async (_what, nest) => {
    for (const depth of [1000, 20000]) {
      for (const field of ['spec', 'unknownDeep']) {
        const apply = await send('PATCH', `${collection}/deep?fieldManager=test&force=true`, 'application/apply-patch+yaml', withField(field, nest(depth)));
        expect(apply).toEqual({ code: 400, message: 'the request body nests deeper than 200 levels' });
        const create = await send('POST', collection, 'application/yaml', withField(field, nest(depth)));
        expect(create).toEqual({ code: 400, message: 'the request body nests deeper than 200 levels' });
      }
    }
    expect(server.child.exitCode).toBeNull();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('still applies a manifest 150 levels deep', async () => {
    const deep = '{"a":'.repeat(150) + '1' + '}'.repeat(150);
    const applied = await send('PATCH', `${collection}/nested?fieldManager=test`, 'application/apply-patch+yaml', withField('unknownDeep', deep).replace('"deep"', '"nested"'));
    expect(applied.code).toBe(201);
  });
});
