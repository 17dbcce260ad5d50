/**
 * TLS and static bearer tokens, end to end:
 * - `berth server --tls auto --token-file` as users start it (a child process): kubectl over
 *   https with the CA and the token works, a wrong token gets kubectl's "You must be logged in";
 * - TLS from certificate files made by openssl, on both store backends, in process;
 * - which paths stay open without a token, and what every other request gets (401 Status).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TokenAuthenticator } from '../../src/apiserver/auth';
import { readTls } from '../../src/apiserver/tls';
import { backends, startTestApiServer, stopSharedEtcd, TestApiServer } from '../support/api-server';
import { startCli } from '../support/berth-server';
import { request, WatchStream } from '../support/http';
import { requireCommand } from '../support/parts';
import { freePort } from '../support/ports';
import { KubectlSession } from '../kubectl/session';

const token = 'a-long-random-token-for-the-admin';
const tokenFile = (dir: string) => {
  const file = path.join(dir, 'tokens.csv');
  fs.writeFileSync(file, `# token,user,uid,"groups"\n${token},admin,uid-1,"system:masters,ops"\nsecond-token,viewer,uid-2\n`);
  return file;
};

const namespace = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

describe('berth server --tls auto --token-file', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof startCli>>;
  let ca: string;
  let kubectl: KubectlSession;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-auth-'));
    const port = await freePort();
    server = await startCli(['--listen', `127.0.0.1:${port}`, '--data-dir', path.join(dir, 'data'), '--tls', 'auto', '--token-file', tokenFile(dir)]);
    ca = fs.readFileSync(path.join(dir, 'data', 'pki', 'ca.crt'), 'utf8');
    kubectl = new KubectlSession(server.url, { ca, token });
  });
  afterAll(async () => {
    kubectl.dispose();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves https with a certificate for 127.0.0.1 signed by the CA it wrote', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const r = await request('GET', `${server.url}/version`, undefined, { ca });
    expect(r.status).toBe(200);
    expect(r.body.gitVersion).toMatch(/^v1\.\d+\.\d+/);
  });

  it('lets kubectl with the CA and the token read and write', async () => {
    expect(await kubectl.ok(['create', 'namespace', 'secured'])).toBe('namespace/secured created\n');
    const out = await kubectl.ok(['get', 'namespace', 'secured', '-o', 'jsonpath={.metadata.name}']);
    expect(out).toBe('secured');
  });

  it('turns kubectl away with a wrong token: "You must be logged in to the server (Unauthorized)"', async () => {
    // A token that stopped being valid after kubectl had cached discovery: the request itself
    // gets the 401 Status, and kubectl prints its reason.
    const user = new KubectlSession(server.url, { ca, token });
    try {
      await user.ok(['get', 'namespaces']);
      user.reconfigure({ ca, token: 'not-the-token' });
      const r = await user.run(['get', 'namespaces']);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('error: You must be logged in to the server (Unauthorized)\n');
    } finally {
      user.dispose();
    }
  });

  it('turns away a kubectl that never got in, with the words upstream discovery uses', async () => {
    // Discovery reads 401s without their Status (client-go Result.Raw), as with kube-apiserver.
    const intruder = new KubectlSession(server.url, { ca, token: 'not-the-token' });
    try {
      const r = await intruder.run(['get', 'namespaces']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('error: You must be logged in to the server (the server has asked for the client to provide credentials)');
    } finally {
      intruder.dispose();
    }
  });

  it('makes kubectl refuse a server whose certificate its CA did not sign', async () => {
    const other = new KubectlSession(server.url, { ca: selfSignedElsewhere(), token });
    try {
      const r = await other.run(['get', 'namespaces']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('certificate signed by unknown authority');
    } finally {
      other.dispose();
    }
  });

  it('keeps its CA across restarts, so kubeconfigs holding it keep working', async () => {
    const files = ['ca.crt', 'apiserver.crt', 'apiserver.key'].map((f) => fs.readFileSync(path.join(dir, 'data', 'pki', f), 'utf8'));
    await server.stop();
    const port = Number(new URL(server.url).port);
    server = await startCli(['--listen', `127.0.0.1:${port}`, '--data-dir', path.join(dir, 'data'), '--tls', 'auto', '--token-file', tokenFile(dir)]);
    expect(['ca.crt', 'apiserver.crt', 'apiserver.key'].map((f) => fs.readFileSync(path.join(dir, 'data', 'pki', f), 'utf8'))).toEqual(files);
    expect(await kubectl.ok(['get', 'namespace', 'secured', '-o', 'name'])).toBe('namespace/secured\n');
  });
});

/** A CA certificate that has nothing to do with the server's. */
function selfSignedElsewhere(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-other-ca-'));
  try {
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'ca.pem'), '-days', '1', '-subj', '/CN=someone-else']);
    return fs.readFileSync(path.join(dir, 'ca.pem'), 'utf8');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function openssl(args: string[]): void {
  execFileSync(requireCommand('openssl', 'the openssl package'), args, { stdio: 'pipe' });
}

/** A CA and a serving certificate for 127.0.0.1 made by openssl, as an operator brings their own. */
function opensslCertificates(dir: string): { caCertFile: string; certFile: string; keyFile: string } {
  const file = (name: string) => path.join(dir, name);
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('ca.key'), '-out', file('ca.crt'), '-days', '1', '-subj', '/CN=operator-ca']);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=berth']);
  fs.writeFileSync(file('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl(['x509', '-req', '-in', file('server.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file('server.crt'), '-days', '1', '-extfile', file('san.ext')]);
  return { caCertFile: file('ca.crt'), certFile: file('server.crt'), keyFile: file('server.key') };
}

describe('berth server --tls-cert-file --tls-private-key-file', () => {
  it('serves https with an operator certificate, and kubectl with its CA and the token gets in', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-tls-cli-'));
    const files = opensslCertificates(dir);
    const port = await freePort();
    const server = await startCli([
      '--listen', `127.0.0.1:${port}`,
      '--data-dir', path.join(dir, 'data'),
      '--tls-cert-file', files.certFile,
      '--tls-private-key-file', files.keyFile,
      '--token-file', tokenFile(dir),
    ]);
    const kubectl = new KubectlSession(server.url, { ca: fs.readFileSync(files.caCertFile, 'utf8'), token });
    try {
      expect(server.url).toBe(`https://127.0.0.1:${port}`);
      expect(await kubectl.ok(['get', 'namespace', 'default', '-o', 'name'])).toBe('namespace/default\n');
      // The auto CA was not made: the operator's certificate is the one served.
      expect(fs.existsSync(path.join(dir, 'data', 'pki'))).toBe(false);
    } finally {
      kubectl.dispose();
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

afterAll(stopSharedEtcd);

describe.each(backends)('TLS from certificate files and bearer tokens over %s', (backend) => {
  let dir: string;
  let api: TestApiServer;
  let ca: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-tls-files-'));
    const files = opensslCertificates(dir);
    ca = fs.readFileSync(files.caCertFile, 'utf8');
    api = await startTestApiServer(backend, { tls: readTls(files), authenticator: TokenAuthenticator.fromFile(tokenFile(dir)) });
  });
  afterAll(async () => {
    await api.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each(['/healthz', '/livez', '/readyz', '/version'])('answers %s without a token', async (path) => {
    expect((await request('GET', `${api.url}${path}`, undefined, { ca })).status).toBe(200);
  });

  it.each([
    ['GET', '/api'],
    ['GET', '/apis'],
    ['GET', '/openapi/v2'],
    ['GET', '/metrics'],
    ['GET', '/api/v1/namespaces'],
    ['GET', '/api/v1/namespaces/default/configmaps?watch=true'],
    ['POST', '/api/v1/namespaces'],
    ['DELETE', '/api/v1/namespaces/default'],
    ['GET', '/no/such/path'],
  ])('answers %s %s without a token with a 401 Status', async (method, path) => {
    const r = await request(method, `${api.url}${path}`, method === 'POST' ? namespace('sneaky') : undefined, { ca });
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Unauthorized', code: 401 });
  });

  it('refuses a wrong token, another scheme, and a token with the Bearer word missing', async () => {
    for (const authorization of ['Bearer wrong', `Basic ${Buffer.from('admin:admin').toString('base64')}`, token, `Bearer ${token}x`, 'Bearer ']) {
      const r = await request('GET', `${api.url}/api/v1/namespaces`, undefined, { ca, headers: { Authorization: authorization } });
      expect(r.status).toBe(401);
    }
  });

  it('serves each known token, and writes nothing for a refused one', async () => {
    expect((await request('POST', `${api.url}/api/v1/namespaces`, namespace('by-admin'), { ca, token })).status).toBe(201);
    expect((await request('POST', `${api.url}/api/v1/namespaces`, namespace('by-viewer'), { ca, token: 'second-token' })).status).toBe(201);
    expect((await request('POST', `${api.url}/api/v1/namespaces`, namespace('by-nobody'), { ca, token: 'nobody' })).status).toBe(401);
    const names = (await request('GET', `${api.url}/api/v1/namespaces`, undefined, { ca, token })).body.items.map((n: { metadata: { name: string } }) => n.metadata.name);
    expect(names).toEqual(expect.arrayContaining(['by-admin', 'by-viewer']));
    expect(names).not.toContain('by-nobody');
  });

  it('opens watches only with a token', async () => {
    const refused = new WatchStream(`${api.url}/api/v1/namespaces?watch=true`, { ca });
    await refused.waitForEnd();
    expect(refused.status).toBe(401);
    const allowed = new WatchStream(`${api.url}/api/v1/namespaces?watch=true`, { ca, token });
    try {
      const events = await allowed.waitFor(1);
      expect(allowed.status).toBe(200);
      expect(events[0].type).toBe('ADDED');
    } finally {
      allowed.close();
    }
  });

  it('lets kubectl in with the operator CA and the token, and not with a wrong token', async () => {
    const kubectl = new KubectlSession(api.url, { ca, token });
    try {
      expect(await kubectl.ok(['get', 'namespace', 'by-admin', '-o', 'name'])).toBe('namespace/by-admin\n');
      kubectl.reconfigure({ ca, token: 'nope' });
      const r = await kubectl.run(['create', 'namespace', 'by-intruder']);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('error: You must be logged in to the server (Unauthorized)\n');
      expect((await request('GET', `${api.url}/api/v1/namespaces/by-intruder`, undefined, { ca, token })).status).toBe(404);
    } finally {
      kubectl.dispose();
    }
  });
});

describe('plain http with tokens configured', () => {
  let api: TestApiServer;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-http-tokens-'));
    api = await startTestApiServer('sqlite', { authenticator: TokenAuthenticator.fromFile(tokenFile(dir)) });
  });
  afterAll(async () => {
    await api.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('turns kubectl away, since kubectl never sends a token over http', async () => {
    const kubectl = new KubectlSession(api.url, { token });
    try {
      const r = await kubectl.run(['get', 'namespaces']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('error: You must be logged in to the server (the server has asked for the client to provide credentials)');
      // Other clients may still send it over http.
      expect((await request('GET', `${api.url}/api/v1/namespaces`, undefined, { token })).status).toBe(200);
    } finally {
      kubectl.dispose();
    }
  });
});

describe('token file', () => {
  let dir: string;
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-token-file-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const authenticate = (auth: TokenAuthenticator, header?: string, path = '/api') =>
    auth.authenticate({ headers: header ? { authorization: header } : {} } as never, path);

  it('reads users, uids and quoted groups, skipping comments and blank lines', () => {
    const auth = TokenAuthenticator.fromFile(tokenFile(dir));
    expect(authenticate(auth, `Bearer ${token}`)).toEqual({ name: 'admin', uid: 'uid-1', groups: ['system:masters', 'ops', 'system:authenticated'] });
    expect(authenticate(auth, 'bearer second-token')).toEqual({ name: 'viewer', uid: 'uid-2', groups: ['system:authenticated'] });
    expect(authenticate(auth, undefined, '/healthz')).toMatchObject({ name: 'system:anonymous' });
  });

  it('names the file and line of a malformed entry', () => {
    const file = path.join(dir, 'broken.csv');
    fs.writeFileSync(file, 'good,user,1\n\njust-a-token\n');
    expect(() => TokenAuthenticator.fromFile(file)).toThrow(`${file}:3: expected token,user,uid[,"groups"]`);
  });
});
