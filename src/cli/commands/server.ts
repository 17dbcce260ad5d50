/**
 * `berth server`: the API server over the embedded SQLite store or etcd.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { ApiServer } from '../../apiserver/server';
import { TokenAuthenticator } from '../../apiserver/auth';
import { AgentExec } from '../../apiserver/agent-exec';
import { AgentLogs, readAgentToken } from '../../apiserver/agent-logs';
import { ensureAutoTls, readTls, TlsMaterial } from '../../apiserver/tls';
import { openStore, parseStoreSpec, StoreSpec } from '../../store/open';
import { logger } from '../../log';
import { CommandError, ExitCode, fail } from '../exit';
import { EtcdTlsFlags, withEtcdTls } from '../etcd-tls-flags';
import { defaultDataDir, expandHome, parseListen } from '../paths';
import { untilSignal } from '../signals';
import { giveBackMemoryWhenIdle } from '../../util/idle-memory';

const log = logger('server');

export interface ServerFlags extends EtcdTlsFlags {
  listen: string;
  dataDir: string;
  store?: string;
  etcd?: string;
  etcdPrefix: string;
  tls?: string;
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  tokenFile?: string;
  agentTokenFile?: string;
}

export function storeSpecFrom(flags: Pick<ServerFlags, 'store' | 'etcd' | 'etcdPrefix' | 'dataDir'>): StoreSpec {
  if (flags.store && flags.etcd) throw new CommandError('give either --store or --etcd, not both', ExitCode.badInput);
  if (flags.etcd) return parseStoreSpec(flags.etcd, flags.etcdPrefix);
  if (flags.store) return parseStoreSpec(flags.store, flags.etcdPrefix);
  return { sqlite: path.join(expandHome(flags.dataDir), 'state.db') };
}

export function tlsFrom(flags: Pick<ServerFlags, 'tls' | 'tlsCertFile' | 'tlsPrivateKeyFile' | 'dataDir'>): TlsMaterial | undefined {
  if (flags.tlsCertFile || flags.tlsPrivateKeyFile) {
    if (!flags.tlsCertFile || !flags.tlsPrivateKeyFile) throw new CommandError('--tls-cert-file and --tls-private-key-file go together', ExitCode.badInput);
    return readTls({ certFile: flags.tlsCertFile, keyFile: flags.tlsPrivateKeyFile });
  }
  if (flags.tls === undefined || flags.tls === 'off') return undefined;
  if (flags.tls !== 'auto') throw new CommandError(`--tls must be "auto" or "off", not "${flags.tls}"`, ExitCode.badInput);
  return readTls(ensureAutoTls(path.join(expandHome(flags.dataDir), 'pki')));
}

export function registerServer(program: Command): void {
  program
    .command('server')
    .description('serve the Kubernetes API over a store (embedded SQLite or etcd)')
    .option('--listen <host:port>', 'address to serve on', '127.0.0.1:6443')
    .option('--data-dir <dir>', 'where the embedded store and certificates live', defaultDataDir())
    .option('--store <url>', 'sqlite:PATH for the embedded store (default: DATA-DIR/state.db)')
    .option('--etcd <urls>', 'etcd endpoints instead of the embedded store: http://127.0.0.1:2379[,…]')
    .option('--etcd-prefix <prefix>', 'key prefix in etcd', '/berth')
    .option('--etcd-cafile <file>', 'CA that signed etcd\'s certificate (PEM; default: the system\'s roots)')
    .option('--etcd-certfile <file>', 'client certificate for etcd (PEM)')
    .option('--etcd-keyfile <file>', 'the client certificate\'s key (PEM)')
    .option('--tls <mode>', '"auto": create a CA and serving certificate in DATA-DIR/pki; "off": plain http')
    .option('--tls-cert-file <file>', 'serving certificate (PEM)')
    .option('--tls-private-key-file <file>', 'serving key (PEM)')
    .option('--token-file <file>', 'static bearer tokens, one per line: token,user,uid,"group1,group2"')
    .option('--agent-token-file <file>', 'the secret shared with the node agents, presented to them for pod logs (the same file as theirs)')
    .action(async (flags: ServerFlags) => {
      const { host, port } = parseListen(flags.listen);
      const spec = withEtcdTls(storeSpecFrom(flags), flags);
      if ('sqlite' in spec) fs.mkdirSync(path.dirname(spec.sqlite), { recursive: true });
      const tls = tlsFrom(flags);
      const authenticator = flags.tokenFile ? TokenAuthenticator.fromFile(flags.tokenFile) : undefined;
      // A store that stops for good (the embedded store's fsync failed) ends the process, as etcd
      // ends itself: a supervisor's restart reads what the disk really holds.
      const store = await openStore(spec, fail);
      const agentToken = flags.agentTokenFile ? readAgentToken(expandHome(flags.agentTokenFile)) : undefined;
      const nodeLogs = agentToken ? new AgentLogs({ token: agentToken }) : undefined;
      const nodeExec = agentToken ? new AgentExec({ token: agentToken }) : undefined;
      const server = await ApiServer.start({ store, tls, authenticator, nodeLogs, nodeExec });
      giveBackMemoryWhenIdle();
      const url = await server.listen(port, host);
      log.info('serving the API', { url, store: 'sqlite' in spec ? `sqlite:${spec.sqlite}` : spec.etcd.join(','), tokens: Boolean(authenticator) });
      process.stdout.write(`berth API server listening on ${url}\n`);
      await untilSignal();
      log.info('shutting down');
      await server.close();
      await store.close();
    });
}
