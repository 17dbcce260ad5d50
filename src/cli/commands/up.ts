/**
 * `berth up`: a whole cluster in one process — the API server (HTTPS, embedded SQLite store or
 * etcd), every controller, and a local node agent (Docker when its socket answers, host processes
 * otherwise). Starting again with the same data directory resumes the same cluster: the store,
 * the certificates and tokens are reused and running containers are adopted.
 *
 *   DIR ─► TLS + tokens + store ─► API server :6443 ─► kubeconfig ─► controllers ─► local agent
 *                                                                          └─► apply -f, wait
 */
import os from 'node:os';
import type { Command } from 'commander';
import Docker from '../../agent/runtime/docker/dockerode';
import { defaultControllerSettings } from '../../../controllers';
import { startAgent, RunningAgent } from '../../agent/agent';
import type { RuntimeKind } from '../../agent/runtime/runtime';
import { Unavailable } from '../../api/errors';
import { AgentExec } from '../../apiserver/agent-exec';
import { AgentLogs } from '../../apiserver/agent-logs';
import { TokenAuthenticator } from '../../apiserver/auth';
import type { NodeExec } from '../../apiserver/node-exec';
import type { NodeLogs } from '../../apiserver/node-logs';
import { ApiServer } from '../../apiserver/server';
import { ensureAutoTls, readTls } from '../../apiserver/tls';
import { Client, Manager } from '../../client';
import { errorMessage, logger } from '../../log';
import { openStore, parseStoreSpec } from '../../store/open';
import { runApply } from '../apply/run-apply';
import { CommandError, ExitCode, fail } from '../exit';
import { EtcdTlsFlags, withEtcdTls } from '../etcd-tls-flags';
import { defaultDataDir, expandHome, parseListen } from '../paths';
import { untilSignal } from '../signals';
import { parseDurationFlag } from '../duration-flag';
import { clusterFiles, ensureTokens, writeKubeconfig } from '../up/cluster-files';
import { addControllers } from './controllers';
import { giveBackMemoryWhenIdle } from '../../util/idle-memory';

const log = logger('up');

interface UpFlags extends EtcdTlsFlags {
  dataDir: string;
  listen: string;
  etcd?: string;
  etcdPrefix: string;
  runtime?: string;
  node: string;
  filename?: string[];
  recursive?: boolean;
  timeout: string;
}

/** Whether a Docker engine answers on its socket within a second. */
async function dockerAnswers(socketPath?: string): Promise<boolean> {
  const docker = new Docker(socketPath ? { socketPath } : undefined);
  try {
    await Promise.race([docker.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 1000))]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Pod logs and exec for the API server: the local agent's in-process, any other node's over the
 * network with the agent secret. The local agent starts after the server, so it is looked up at
 * request time.
 */
function clusterLogs(localNode: () => RunningAgent | undefined, agentToken: string): NodeLogs {
  const remote = new AgentLogs({ token: agentToken });
  return {
    open(pod, node, options, signal) {
      const local = localNode();
      if (node && local && node.metadata.name === local.node) return local.nodeLogs.open(pod, node, options, signal);
      if (!node) throw new Unavailable(`the node of pod ${pod.metadata.name} is not registered`);
      return remote.open(pod, node, options, signal);
    },
  };
}

function clusterExec(localNode: () => RunningAgent | undefined, agentToken: string): NodeExec {
  const remote = new AgentExec({ token: agentToken });
  return {
    start(pod, node, request) {
      const local = localNode();
      if (node && local && node.metadata.name === local.node) return local.nodeExec.start(pod, node, request);
      return remote.start(pod, node, request);
    },
  };
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerUp(program: Command): void {
  program
    .command('up')
    .description('run a whole cluster in one process: API server, controllers, a local agent')
    .option('--data-dir <dir>', 'where the cluster lives (store, certificates, tokens, kubeconfig)', defaultDataDir())
    .option('--listen <host:port>', 'where the API server listens', '127.0.0.1:6443')
    .option('--etcd <urls>', 'use etcd instead of the embedded store: http://127.0.0.1:2379[,…]')
    .option('--etcd-prefix <prefix>', 'key prefix in etcd', '/berth')
    .option('--etcd-cafile <file>', 'CA that signed etcd\'s certificate (PEM; default: the system\'s roots)')
    .option('--etcd-certfile <file>', 'client certificate for etcd (PEM)')
    .option('--etcd-keyfile <file>', 'the client certificate\'s key (PEM)')
    .option('--runtime <kind>', 'docker or process (default: docker when its socket answers, else process)')
    .option('--node <name>', 'the local node\'s name', os.hostname().toLowerCase())
    .option('-f, --filename <file>', 'manifests to apply once the cluster is up (files, directories, -)', collect)
    .option('-R, --recursive', 'read -f directories recursively')
    .option('--timeout <duration>', 'how long to wait for the applied manifests to be ready', '5m')
    .action(async (flags: UpFlags) => {
      const started = Date.now();
      const dir = expandHome(flags.dataDir);
      const files = clusterFiles(dir);
      const { host, port } = parseListen(flags.listen);
      const spec = withEtcdTls(flags.etcd ? parseStoreSpec(flags.etcd, flags.etcdPrefix) : { sqlite: files.store }, flags);
      const runtime = await chooseRuntime(flags.runtime);

      const tls = readTls(ensureAutoTls(files.pki, host === '0.0.0.0' ? [] : [host]));
      const tokens = ensureTokens(files.tokens);
      // A store that stops for good (the embedded store's fsync failed) ends the process, as etcd
      // ends itself: a supervisor's restart reads what the disk really holds.
      const store = await openStore(spec, fail);
      let agent: RunningAgent | undefined;
      giveBackMemoryWhenIdle();
      const server = await ApiServer.start({
        store,
        tls,
        authenticator: TokenAuthenticator.fromFile(files.tokens),
        nodeLogs: clusterLogs(() => agent, tokens.agent),
        nodeExec: clusterExec(() => agent, tokens.agent),
      });
      const url = await server.listen(port, host);
      const local = `https://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
      writeKubeconfig(files.kubeconfig, local, tls.ca, tokens.admin);

      const client = new Client({ server: local, token: tokens.admin, ca: tls.ca, insecureSkipTlsVerify: false, namespace: 'default', source: `berth up (${dir})` });
      const manager = new Manager({
        client,
        // A stable identity: a restarted `berth up` takes its own lease back at once.
        leaderElection: { name: 'berth-controllers', namespace: 'kube-system', identity: `berth-up-${os.hostname()}` },
      });
      addControllers(manager, undefined, defaultControllerSettings);
      const stop = new AbortController();
      const controllers = manager.run(stop.signal).catch((e) => {
        log.error('the controllers stopped', { error: errorMessage(e) });
        stop.abort();
      });

      agent = await startAgent({ client, node: flags.node, runtime, dataDir: files.agentDir, logs: { token: tokens.agent, port: 0, host: '127.0.0.1' } });
      const out = process.stdout;
      out.write(
        [
          `berth is up in ${((Date.now() - started) / 1000).toFixed(1)} s: API server ${url} (${'sqlite' in spec ? `embedded store ${spec.sqlite}` : `etcd ${spec.etcd.join(',')}`}),`,
          `controllers, and node ${agent.node} running pods with ${runtime === 'docker' ? 'Docker' : 'host processes (no Docker engine answered: no isolation)'}.`,
          '',
          `  export KUBECONFIG=${files.kubeconfig}`,
          '  kubectl get nodes',
          `  berth get pods -A${dir === defaultDataDir() ? '' : `   (berth reads $KUBECONFIG, or --kubeconfig ${files.kubeconfig})`}`,
          '',
          `To join another host: berth agent --server ${url.replace('127.0.0.1', '<this host>')} --token ${tokens.agent} --insecure-skip-tls-verify (or --certificate-authority ${files.pki}/ca.crt)`,
          'Stop with Ctrl-C; `berth up` with the same --data-dir resumes this cluster.',
          '',
        ].join('\n'),
      );

      if (flags.filename && flags.filename.length > 0) {
        const code = await runApply(
          client,
          {
            files: flags.filename,
            recursive: Boolean(flags.recursive),
            namespace: { namespace: 'default', explicit: false },
            wait: true,
            timeoutMs: parseDurationFlag(flags.timeout, '--timeout'),
            dryRun: false,
            prune: false,
            force: false,
          },
          { stdout: process.stdout, stderr: process.stderr, signal: stop.signal },
        );
        out.write(code === 0 ? 'Everything applied is ready. The cluster keeps running; Ctrl-C stops it.\n' : `The manifests did not all become ready (exit code ${code}); the cluster keeps running.\n`);
      }

      await Promise.race([untilSignal(), new Promise((resolve) => stop.signal.addEventListener('abort', resolve))]);
      out.write('stopping (containers keep running; the next `berth up` adopts them)\n');
      stop.abort();
      await agent.stop();
      await controllers;
      client.close();
      await server.close();
      await store.close();
    });
}

async function chooseRuntime(flag: string | undefined): Promise<RuntimeKind> {
  if (flag !== undefined) {
    if (flag !== 'docker' && flag !== 'process') throw new CommandError(`--runtime must be docker or process, not "${flag}"`, ExitCode.badInput);
    if (flag === 'docker' && !(await dockerAnswers())) {
      throw new CommandError('--runtime docker: no Docker engine answers on /var/run/docker.sock (start dockerd, or use --runtime process)', ExitCode.failed);
    }
    return flag;
  }
  return (await dockerAnswers()) ? 'docker' : 'process';
}
