/**
 * `berth agent`: the node agent. Registers the node, runs the pods bound to it on Docker (or host
 * processes, or nothing: `--runtime simulated --nodes 1000` registers a thousand simulated nodes
 * for scale tests), serves their logs to the API server, and proxies Services' nodePorts.
 */
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { startAgent } from '../../agent/agent';
import { parseCapacity } from '../../agent/node/host';
import { RuntimeKind } from '../../agent/runtime/runtime';
import { startSimulatedNodes } from '../../agent/simulated-nodes';
import { readAgentToken } from '../../apiserver/agent-logs';
import { addConnectionFlags, Client, connectionFrom, ConnectionOptions } from '../../client';
import { errorMessage, logger } from '../../log';
import { labelKeyErrors, labelValueErrors } from '../../api/label-syntax';
import { CommandError, ExitCode } from '../exit';
import { defaultDataDir, expandHome, parseListen } from '../paths';
import { untilSignal } from '../signals';
import { giveBackMemoryWhenIdle } from '../../util/idle-memory';

const log = logger('agent');

interface AgentFlags {
  node: string;
  runtime: string;
  dockerSocket?: string;
  capacity?: string;
  dataDir: string;
  nodeIp?: string;
  nodeLabels?: string;
  agentTokenFile?: string;
  logListen: string;
  network: string;
  subnet?: string;
  serviceProxy: boolean;
  nodes?: string;
  [connection: string]: unknown;
}

const runtimes: RuntimeKind[] = ['docker', 'process', 'simulated'];

/** `a=1,b=2` as labels, each key and value checked. */
export function parseNodeLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? '' : pair.slice(eq + 1);
    const problems = [...labelKeyErrors(key), ...labelValueErrors(value)];
    if (eq < 0 || problems.length > 0) throw new Error(`--node-labels: "${pair}" is not key=value${problems.length ? `: ${problems.join('; ')}` : ''}`);
    labels[key] = value;
  }
  return labels;
}

function badInput(what: () => unknown): void {
  try {
    what();
  } catch (e) {
    throw new CommandError(errorMessage(e), ExitCode.badInput);
  }
}

export function registerAgent(program: Command): void {
  const command = program
    .command('agent')
    .description('run a node agent that reconciles pods with Docker')
    .option('--node <name>', 'the Node this agent registers (default: the host name)', os.hostname().toLowerCase())
    .option('--runtime <kind>', 'docker, process (host processes, no isolation) or simulated', 'docker')
    .option('--docker-socket <path>', "the Docker engine's socket (default: DOCKER_HOST or /var/run/docker.sock)")
    .option('--capacity <resources>', 'resources to report instead of the host\'s: cpu=4,memory=8Gi,ephemeral-storage=100Gi,pods=110')
    .option('--data-dir <dir>', 'where pod volumes and the agent state live', path.join(defaultDataDir(), 'agent'))
    .option('--node-ip <ip>', "the node's InternalIP (default: the host's first IPv4 address)")
    .option('--node-labels <labels>', 'extra node labels: key=value,...')
    .option('--agent-token-file <file>', 'the secret the API server presents for pod logs (the same file as its --agent-token-file); without it the node serves no logs')
    .option('--log-listen <host:port>', 'where the log endpoint listens', '0.0.0.0:10250')
    .option('--network <name>', 'the Docker network pods join', 'berth')
    .option('--subnet <cidr>', 'its subnet, when the agent creates it')
    .option('--no-service-proxy', 'do not forward Service nodePorts on this node')
    .option('--nodes <count>', 'with --runtime simulated: how many nodes (named <node>-0001 ...)');
  addConnectionFlags(command);
  command.action(async (flags: AgentFlags) => {
    if (!runtimes.includes(flags.runtime as RuntimeKind)) throw new CommandError(`--runtime must be one of ${runtimes.join(', ')}, not "${flags.runtime}"`, ExitCode.badInput);
    let capacity: Record<string, string> | undefined;
    let labels: Record<string, string> | undefined;
    badInput(() => (capacity = flags.capacity ? parseCapacity(flags.capacity) : undefined));
    badInput(() => (labels = flags.nodeLabels ? parseNodeLabels(flags.nodeLabels) : undefined));
    const count = flags.nodes === undefined ? undefined : Number(flags.nodes);
    if (count !== undefined && (!Number.isInteger(count) || count < 1)) throw new CommandError(`--nodes must be a positive whole number, not "${flags.nodes}"`, ExitCode.badInput);
    if (count !== undefined && flags.runtime !== 'simulated') throw new CommandError('--nodes goes with --runtime simulated', ExitCode.badInput);
    const listen = parseListen(flags.logListen);
    const token = flags.agentTokenFile ? readAgentToken(expandHome(flags.agentTokenFile)) : undefined;
    if (!token) log.warn('no --agent-token-file: this node serves no pod logs');
    const logs = token ? { token, host: listen.host, port: listen.port } : undefined;
    const client = new Client(connectionFrom(flags as ConnectionOptions));
    const dataDir = expandHome(flags.dataDir);

    let stop: () => Promise<void>;
    if (count !== undefined) {
      const simulated = await startSimulatedNodes({ client, prefix: flags.node, count, dataDir, capacity, labels, nodeIP: flags.nodeIp, logs });
      process.stdout.write(`berth agent: ${count} simulated nodes ${simulated.names[0]} … ${simulated.names[count - 1]} registered\n`);
      stop = simulated.stop;
    } else {
      const agent = await startAgent({
        client,
        node: flags.node,
        runtime: flags.runtime as RuntimeKind,
        dataDir,
        dockerSocket: flags.dockerSocket,
        network: flags.network,
        subnet: flags.subnet,
        capacity,
        labels,
        nodeIP: flags.nodeIp,
        logs,
        serviceProxy: flags.serviceProxy ? {} : false,
      });
      process.stdout.write(`berth agent: node ${agent.node} registered${agent.logs ? `; logs on port ${agent.logs.port}` : ''}\n`);
      stop = agent.stop;
    }
    giveBackMemoryWhenIdle();
    await untilSignal();
    log.info('shutting down; containers keep running');
    await stop();
    client.close();
  });
}
