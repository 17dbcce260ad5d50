/**
 * The etcd store over TLS, against a real etcd that asks every client for a certificate signed by
 * its CA (`--client-cert-auth`), as a secured etcd usually runs: the store works with the client
 * certificate, and without it, or trusting another CA, it answers Unavailable at once, saying why.
 * Then `berth server` with kube-apiserver's flags for the same files.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { BadRequest, Unavailable } from '../../src/api/errors';
import { createCa } from '../../src/apiserver/tls';
import { GrpcChannel } from '../../src/store/etcd-grpc';
import { EtcdStore } from '../../src/store/etcd-store';
import { openStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';
import { BerthCli } from '../cli/berth';
import { startCli } from '../support/berth-server';
import { EtcdServer, startEtcd } from '../support/etcd';
import { freePort } from '../support/ports';
import { configMap, recordWatch } from './support';

let etcd: EtcdServer;
let prefixes = 0;
const configMaps = '/registry/core/configmaps/default/';

beforeAll(async () => {
  etcd = await startEtcd({ tls: true });
}, 30_000);

afterAll(async () => {
  await etcd?.destroy();
});

/** Runs `use` on a store over the TLS etcd, closing it afterwards. */
async function withStore(tls: { ca?: string; cert?: string; key?: string }, use: (store: Store) => Promise<void>): Promise<void> {
  const store = await openStore({ etcd: [etcd.endpoint], prefix: `/tls-${++prefixes}`, tls });
  try {
    await use(store);
  } finally {
    await store.close();
  }
}

/** The error `attempt` fails with, and how long it took to. */
async function failure(attempt: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  const error = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, ms: Date.now() - started };
}

describe('etcd store over TLS with client certificates', () => {
  it('creates, reads, lists and watches with the client certificate and etcd\'s CA', async () => {
    const { ca, cert, key } = etcd.tls!;
    await withStore({ ca, cert, key }, async (store) => {
      const watch = recordWatch(store, configMaps, await store.currentRevision());
      const created = await store.create(`${configMaps}a`, configMap('a'));
      expect((await store.get(`${configMaps}a`))?.modRevision).toBe(created.modRevision);
      expect((await store.list(configMaps)).items.map((entry) => entry.object.metadata.name)).toEqual(['a']);
      const [event] = await watch.until(1);
      expect([event.type, event.object.metadata.name, event.revision]).toEqual(['ADDED', 'a', created.modRevision]);
      await watch.stop();
    });
  });

  it('answers Unavailable at once, with the TLS alert, when no client certificate is given', async () => {
    await withStore({ ca: etcd.tls!.ca }, async (store) => {
      for (const attempt of [() => store.get(`${configMaps}a`), () => store.create(`${configMaps}b`, configMap('b'))]) {
        const { error, ms } = await failure(attempt());
        expect(error).toBeInstanceOf(Unavailable);
        // TLS 1.2 ends with "bad certificate", TLS 1.3 with "certificate required".
        expect((error as Error).message).toMatch(new RegExp(`${etcd.endpoint}: TLS: .*(bad certificate|certificate required)`));
        expect(ms).toBeLessThan(3000);
      }
    });
  });

  it('answers Unavailable at once, naming the certificate problem, when trusting a CA that did not sign etcd\'s certificate', async () => {
    const { cert, key } = etcd.tls!;
    const otherCa = forge.pki.certificateToPem(createCa('not-etcds-ca').cert);
    await withStore({ ca: otherCa, cert, key }, async (store) => {
      const { error, ms } = await failure(store.get(`${configMaps}a`));
      expect(error).toBeInstanceOf(Unavailable);
      expect((error as Error).message).toContain(`${etcd.endpoint}: unable to verify the first certificate`);
      expect(ms).toBeLessThan(3000);
    });
  });

  it('trusts the system\'s roots when no CA is given, which did not sign a private etcd\'s certificate', async () => {
    const { cert, key } = etcd.tls!;
    await withStore({ cert, key }, async (store) => {
      const { error } = await failure(store.get(`${configMaps}a`));
      expect(error).toBeInstanceOf(Unavailable);
      expect((error as Error).message).toContain('unable to verify the first certificate');
    });
  });
});

describe('TLS options refused when the store is made', () => {
  const https = ['https://127.0.0.1:2379'];
  it.each([
    ['a certificate without its key', https, { cert: 'CERT' }, 'tls.cert needs tls.key: a client certificate goes with its private key'],
    ['a key without its certificate', https, { key: 'KEY' }, 'tls.key needs tls.cert: a private key goes with its client certificate'],
    ['a CA while every endpoint is http://', ['http://127.0.0.1:2379', 'http://127.0.0.1:22379'], { ca: 'CA' }, 'tls.ca: pointless when every etcd endpoint is http:// (use https:// endpoints)'],
    ['a client certificate while every endpoint is http://', ['http://127.0.0.1:2379'], { cert: 'CERT', key: 'KEY' }, 'tls.cert, tls.key: pointless when every etcd endpoint is http:// (use https:// endpoints)'],
  ])('refuses %s', (_what, endpoints, tls, message) => {
    expect(() => new EtcdStore({ endpoints, tls })).toThrow(new BadRequest(message));
    expect(() => new GrpcChannel({ endpoints, tls })).toThrow(message);
  });

  it('takes TLS options when some endpoint is https://', () => {
    new GrpcChannel({ endpoints: ['http://127.0.0.1:2379', ...https], tls: { ca: 'CA' } }).close();
  });
});

describe('berth server --etcd-cafile, --etcd-certfile, --etcd-keyfile', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-etcd-tls-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves from the etcd over TLS with the files the flags name', async () => {
    const { caFile, certFile, keyFile } = etcd.tls!;
    const server = await startCli([
      '--listen', `127.0.0.1:${await freePort()}`, '--data-dir', dir,
      '--etcd', etcd.endpoint, '--etcd-prefix', `/tls-${++prefixes}`,
      '--etcd-cafile', caFile, '--etcd-certfile', certFile, '--etcd-keyfile', keyFile,
    ]);
    try {
      const created = await fetch(`${server.url}/api/v1/namespaces/default/configmaps`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(configMap('over-tls')),
      });
      expect(created.status).toBe(201);
      const read = await fetch(`${server.url}/api/v1/namespaces/default/configmaps/over-tls`);
      expect(((await read.json()) as { metadata: { name: string } }).metadata.name).toBe('over-tls');
    } finally {
      await server.stop();
    }
  }, 30_000);

  it('refuses a file it cannot read as bad input, naming the flag and the file', async () => {
    const cli = new BerthCli('http://127.0.0.1:1');
    try {
      const missing = path.join(dir, 'no-such-ca.crt');
      const { certFile, keyFile } = etcd.tls!;
      const run = await cli.run(['server', '--data-dir', dir, '--etcd', etcd.endpoint, '--etcd-cafile', missing, '--etcd-certfile', certFile, '--etcd-keyfile', keyFile]);
      expect(run).toMatchObject({ code: 4, stderr: `error: --etcd-cafile ${missing}: cannot read it (no such file)\n` });
    } finally {
      cli.dispose();
    }
  });
});
