import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { ensureTokens, writeKubeconfig } from './cluster-files';
import { TokenAuthenticator } from '../../apiserver/auth';

describe('berth up cluster files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-up-files-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates tokens once and reads the same ones back', () => {
    const file = path.join(dir, 'tokens.csv');
    const first = ensureTokens(file);
    expect(first.admin).toMatch(/^[0-9a-f]{48}$/);
    expect(first.agent).not.toBe(first.admin);
    expect(ensureTokens(file)).toEqual(first);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('writes a token file the API server reads, with the admin in system:masters', () => {
    const file = path.join(dir, 'tokens.csv');
    const tokens = ensureTokens(file);
    const auth = TokenAuthenticator.fromFile(file);
    const user = auth.authenticate({ headers: { authorization: `Bearer ${tokens.admin}` } } as never, '/api');
    expect(user.name).toBe('admin');
    expect(user.groups).toContain('system:masters');
  });

  it('writes a kubeconfig with the server, the CA inline and the token', () => {
    const file = path.join(dir, 'kubeconfig');
    writeKubeconfig(file, 'https://127.0.0.1:6443', '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n', 'tok');
    const config = YAML.parse(fs.readFileSync(file, 'utf8'));
    expect(config['current-context']).toBe('berth');
    expect(config.clusters[0].cluster.server).toBe('https://127.0.0.1:6443');
    expect(Buffer.from(config.clusters[0].cluster['certificate-authority-data'], 'base64').toString()).toContain('BEGIN CERTIFICATE');
    expect(config.users[0].user.token).toBe('tok');
  });
});
