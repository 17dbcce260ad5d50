import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StoreSpec } from '../store/open';
import { CommandError, ExitCode } from './exit';
import { EtcdTlsFlags, withEtcdTls } from './etcd-tls-flags';

describe('--etcd-cafile, --etcd-certfile, --etcd-keyfile', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-etcd-flags-'));
  const pem = path.join(dir, 'some.pem');
  fs.writeFileSync(pem, 'PEM');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const https = { etcd: ['https://10.0.0.1:2379'], prefix: '/berth' };

  it('reads the files the flags name into the etcd store spec', () => {
    expect(withEtcdTls(https, { etcdCafile: pem, etcdCertfile: pem, etcdKeyfile: pem })).toEqual({ ...https, tls: { ca: Buffer.from('PEM'), cert: Buffer.from('PEM'), key: Buffer.from('PEM') } });
    expect(withEtcdTls(https, {})).toBe(https);
  });

  it.each<[string, StoreSpec, EtcdTlsFlags, string]>([
    ['without etcd', { sqlite: '/tmp/state.db' }, { etcdCafile: pem }, '--etcd-cafile: only for an etcd store (--etcd)'],
    ['with http:// endpoints only', { etcd: ['http://10.0.0.1:2379'] }, { etcdCafile: pem }, '--etcd-cafile: pointless when every etcd endpoint is http:// (use https:// endpoints)'],
    ['a certificate without its key', https, { etcdCertfile: pem }, '--etcd-certfile needs --etcd-keyfile: a client certificate goes with its private key'],
    ['a file that is not there', https, { etcdKeyfile: '/no/such/key.pem', etcdCertfile: pem }, '--etcd-keyfile /no/such/key.pem: cannot read it (no such file)'],
    ['a directory', https, { etcdCafile: os.tmpdir() }, `--etcd-cafile ${os.tmpdir()}: cannot read it (it is a directory)`],
  ])('refuses them %s, as bad input', (_what, spec, flags, message) => {
    let thrown: unknown;
    try {
      withEtcdTls(spec, flags);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(CommandError);
    expect(thrown).toMatchObject({ message, exitCode: ExitCode.badInput });
  });
});
