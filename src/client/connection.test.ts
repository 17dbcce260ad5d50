import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { Invalid, NotFound } from '../api/errors';
import { addConnectionFlags, connectionFrom, ConnectionOptions } from './connection';

let dir: string;
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
};
const b64 = (s: string) => Buffer.from(s).toString('base64');

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-kubeconfig-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const twoContexts = `
apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: dev
  cluster:
    server: https://127.0.0.1:6443/
    certificate-authority: pki/ca.crt
- name: prod
  cluster:
    server: https://10.0.0.1:6443
    certificate-authority-data: ${b64('PROD CA')}
users:
- name: admin
  user:
    token: secret
- name: robot
  user:
    tokenFile: robot.token
    client-certificate-data: ${b64('CERT')}
    client-key-data: ${b64('KEY')}
contexts:
- name: dev
  context: {cluster: dev, user: admin, namespace: web}
- name: prod
  context: {cluster: prod, user: robot}
`;

/** No KUBECONFIG, and a home without ~/.berth/kubeconfig. */
const isolated = (options: ConnectionOptions): ConnectionOptions => ({ env: {}, ...options });

describe('connectionFrom', () => {
  const home = process.env.BERTH_DATA_DIR;
  beforeEach(() => {
    process.env.BERTH_DATA_DIR = path.join(dir, 'data');
  });
  afterAll(() => {
    if (home === undefined) delete process.env.BERTH_DATA_DIR;
    else process.env.BERTH_DATA_DIR = home;
  });

  it('reads the current context: server, CA file relative to the kubeconfig, token, namespace', () => {
    write('pki/ca.crt', 'DEV CA');
    const file = write('config', twoContexts);
    expect(connectionFrom(isolated({ kubeconfig: file }))).toEqual({
      server: 'https://127.0.0.1:6443',
      token: 'secret',
      ca: 'DEV CA',
      cert: undefined,
      key: undefined,
      insecureSkipTlsVerify: false,
      tlsServerName: undefined,
      namespace: 'web',
      source: `kubeconfig ${file} (context dev)`,
    });
  });

  it('picks another context, with inline data and a token file', () => {
    write('robot.token', 'robot-token\n');
    const file = write('config', twoContexts);
    expect(connectionFrom(isolated({ kubeconfig: file, context: 'prod' }))).toMatchObject({
      server: 'https://10.0.0.1:6443',
      ca: 'PROD CA',
      token: 'robot-token',
      cert: 'CERT',
      key: 'KEY',
      namespace: 'default',
    });
  });

  it('lets flags override the kubeconfig; --insecure-skip-tls-verify drops its CA', () => {
    write('pki/ca.crt', 'DEV CA');
    const file = write('config', twoContexts);
    const connection = connectionFrom(isolated({ kubeconfig: file, server: 'https://127.0.0.2:7443', token: 'flag', insecureSkipTlsVerify: true, namespace: 'ops' }));
    expect(connection).toMatchObject({ server: 'https://127.0.0.2:7443', token: 'flag', ca: undefined, insecureSkipTlsVerify: true, namespace: 'ops' });
  });

  it('works from flags alone', () => {
    const ca = write('ca.pem', 'FLAG CA');
    expect(connectionFrom(isolated({ server: 'https://h:6443', token: 't', certificateAuthority: ca }))).toMatchObject({ server: 'https://h:6443', token: 't', ca: 'FLAG CA', source: '--server' });
  });

  it('reads KUBECONFIG (first definition wins), else ~/.berth/kubeconfig', () => {
    write('pki/ca.crt', 'DEV CA');
    const a = write('a', 'apiVersion: v1\nkind: Config\nclusters:\n- name: dev\n  cluster: {server: "http://first:1"}\n');
    const b = write('b', twoContexts);
    expect(connectionFrom({ env: { KUBECONFIG: `${a}${path.delimiter}${path.join(dir, 'missing')}${path.delimiter}${b}` } }).server).toBe('http://first:1');
    write('data/kubeconfig', twoContexts.replace('pki/ca.crt', '../pki/ca.crt'));
    expect(connectionFrom({ env: {} }).server).toBe('https://127.0.0.1:6443');
  });

  it.each([
    { name: 'a missing --kubeconfig', options: { kubeconfig: '/nonexistent/config' }, error: NotFound, message: '--kubeconfig /nonexistent/config does not exist' },
    { name: 'no kubeconfig and no --server', options: {}, error: NotFound, message: 'pass --server URL' },
    { name: 'an unknown context', options: { context: 'staging' }, file: twoContexts, error: NotFound, message: 'context "staging" is not in kubeconfig' },
    { name: 'a context naming an undefined cluster', file: 'contexts:\n- name: c\n  context: {cluster: nowhere}\ncurrent-context: c\n', error: NotFound, message: 'contexts[0].context.cluster names cluster "nowhere", which is not defined' },
    { name: 'a mistyped field', file: 'clusters:\n- name: c\n  cluster: {server: 42}\n', error: Invalid, message: 'clusters[0].cluster.server' },
    { name: 'a server that is not a URL', file: 'clusters:\n- name: c\n  cluster: {server: "127.0.0.1:6443"}\ncontexts:\n- name: c\n  context: {cluster: c}\n', error: Invalid, message: 'clusters[0].cluster.server: "127.0.0.1:6443" is not a URL' },
    { name: 'a server that is not http', file: 'clusters:\n- name: c\n  cluster: {server: "ftp://h"}\ncontexts:\n- name: c\n  context: {cluster: c}\n', error: Invalid, message: 'must be an http:// or https:// URL' },
    { name: 'an unreadable CA file', file: twoContexts, error: Invalid, message: 'clusters[0].cluster.certificate-authority: cannot read' },
    { name: 'bad YAML', file: 'clusters: [\n', error: Invalid, message: 'is not valid YAML' },
    { name: 'a credential plugin', file: twoContexts.replace('token: secret', 'exec: {command: aws}').replace('certificate-authority: pki/ca.crt', 'insecure-skip-tls-verify: true'), error: Invalid, message: 'users[0].user.exec: credential plugins are not supported' },
    { name: 'a CA flag with the skip flag', options: { server: 'https://h', certificateAuthority: '/x', insecureSkipTlsVerify: true }, error: Invalid, message: 'cannot be combined' },
  ])('names the file and field at fault: $name', ({ options, file, error, message }) => {
    const kubeconfig = file ? write('config', file) : undefined;
    const attempt = () => connectionFrom(isolated({ kubeconfig, ...options }));
    expect(attempt).toThrow(error);
    expect(attempt).toThrow(message);
  });
});

describe('addConnectionFlags', () => {
  it('parses the same flags connectionFrom takes', () => {
    const command = addConnectionFlags(new Command('get').exitOverride());
    command.parse(['--server', 'https://h:1', '--token', 't', '--insecure-skip-tls-verify', '-n', 'ns', '--context', 'c'], { from: 'user' });
    expect(command.opts()).toEqual({ server: 'https://h:1', token: 't', insecureSkipTlsVerify: true, namespace: 'ns', context: 'c' });
    expect(connectionFrom(isolated(command.opts()))).toMatchObject({ server: 'https://h:1', token: 't', insecureSkipTlsVerify: true, namespace: 'ns' });
  });
});
