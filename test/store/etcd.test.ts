/** The etcd store: the conformance suite on a real etcd (one per file, a fresh prefix per test), then restarts. */
import { Etcd3 } from 'etcd3';
import { EtcdStore } from '../../src/store/etcd-store';
import { EtcdServer, startEtcd } from '../support/etcd';
import { describeStoreConformance } from './conformance';

let etcd: EtcdServer;
let raw: Etcd3;
let prefixes = 0;

beforeAll(async () => {
  etcd = await startEtcd();
  raw = new Etcd3({ hosts: etcd.endpoint });
}, 30_000);

afterAll(async () => {
  raw?.close();
  await etcd?.destroy();
});

describeStoreConformance('etcd', {
  open: async (onUndecodable) => {
    const prefix = `/test-${++prefixes}`;
    const store = new EtcdStore({ endpoints: [etcd.endpoint], prefix, onUndecodable });
    return { store, plantRaw: async (key, value) => void (await raw.put(prefix + key).value(value)) };
  },
});
