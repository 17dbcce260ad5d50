/**
 * `berth controllers`: runs the controller loops (all, or those named with --only) in one
 * process, leader-elected on a Lease so that two such processes never both act.
 */
import os from 'node:os';
import type { Command } from 'commander';
import { controllerNames, ControllerSettings, defaultControllerSettings, selectControllers } from '../../../controllers';
import { addConnectionFlags, Client, connectionFrom, ConnectionOptions, Manager } from '../../client';
import { errorMessage, logger } from '../../log';
import { CommandError, ExitCode } from '../exit';
import { parseDurationFlag } from '../duration-flag';
import { untilSignal } from '../signals';
import { giveBackMemoryWhenIdle } from '../../util/idle-memory';

const log = logger('controllers');

interface ControllersFlags {
  only?: string;
  leaseName: string;
  leaseNamespace: string;
  leaseDuration: string;
  renewDeadline: string;
  retryPeriod: string;
  leaderElect: boolean;
  metricsPort?: string;
  nodeMonitorGracePeriod: string;
  podEvictionTimeout: string;
  serviceClusterIpRange: string;
  nodePortRange: string;
  placement: string;
  [connection: string]: unknown;
}

export function settingsFrom(flags: Pick<ControllersFlags, 'nodeMonitorGracePeriod' | 'podEvictionTimeout' | 'serviceClusterIpRange' | 'nodePortRange' | 'placement'>): ControllerSettings {
  if (flags.placement !== 'spread' && flags.placement !== 'binpack') throw new CommandError(`--placement must be spread or binpack, not "${flags.placement}"`, ExitCode.badInput);
  return {
    nodeMonitorGracePeriodMs: parseDurationFlag(flags.nodeMonitorGracePeriod, '--node-monitor-grace-period'),
    podEvictionTimeoutMs: parseDurationFlag(flags.podEvictionTimeout, '--pod-eviction-timeout'),
    serviceClusterIpRange: flags.serviceClusterIpRange,
    nodePortRange: flags.nodePortRange,
    placementStrategy: flags.placement,
  };
}

/** Adds the chosen controllers to a manager (used by `berth controllers` and `berth up`). */
export function addControllers(manager: Manager, only: string[] | undefined, settings: ControllerSettings): string[] {
  const entries = selectControllers(only);
  for (const entry of entries) manager.add((tools) => entry.create(tools, settings));
  return entries.map((e) => e.name);
}

export function addSettingsFlags(command: Command): Command {
  const d = defaultControllerSettings;
  return command
    .option('--node-monitor-grace-period <duration>', 'a node whose lease is older becomes NotReady', `${d.nodeMonitorGracePeriodMs / 1000}s`)
    .option('--pod-eviction-timeout <duration>', 'default toleration of pods on an unreachable node', `${d.podEvictionTimeoutMs / 1000}s`)
    .option('--service-cluster-ip-range <cidr>', 'ClusterIPs come from here', d.serviceClusterIpRange)
    .option('--node-port-range <range>', 'nodePorts come from here', d.nodePortRange)
    .option('--placement <strategy>', 'spread (least allocated) or binpack (most allocated)', d.placementStrategy);
}

export function registerControllers(program: Command): void {
  const command = program
    .command('controllers')
    .description('run the controller loops, leader-elected')
    .option('--only <names>', `comma-separated controllers to run (of: ${controllerNames().join(', ') || 'none yet'})`)
    .option('--no-leader-elect', 'act without a lease (only when one such process runs)')
    .option('--lease-name <name>', 'the Lease the controller processes elect a leader on', 'berth-controllers')
    .option('--lease-namespace <ns>', 'namespace of that Lease', 'kube-system')
    .option('--lease-duration <duration>', 'how long a leader holds the lease without renewing', '15s')
    .option('--renew-deadline <duration>', 'a leader that cannot renew within this stops acting', '10s')
    .option('--retry-period <duration>', 'how often to try to acquire or renew', '2s')
    .option('--metrics-port <port>', 'serve Prometheus metrics on 127.0.0.1:PORT');
  addSettingsFlags(command);
  addConnectionFlags(command);
  command.action(async (flags: ControllersFlags) => {
    const settings = settingsFrom(flags);
    const client = new Client(connectionFrom(flags as ConnectionOptions));
    const manager = new Manager({
      client,
      leaderElection: flags.leaderElect
        ? {
            name: flags.leaseName,
            namespace: flags.leaseNamespace,
            identity: `${os.hostname()}-${process.pid}`,
            leaseDurationMs: parseDurationFlag(flags.leaseDuration, '--lease-duration'),
            renewDeadlineMs: parseDurationFlag(flags.renewDeadline, '--renew-deadline'),
            retryPeriodMs: parseDurationFlag(flags.retryPeriod, '--retry-period'),
          }
        : false,
      metrics: flags.metricsPort !== undefined ? { port: Number(flags.metricsPort) } : undefined,
    });
    const only = flags.only ? flags.only.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
    let names: string[];
    try {
      names = addControllers(manager, only, settings);
    } catch (e) {
      throw new CommandError(errorMessage(e), ExitCode.badInput);
    }
    log.info('starting controllers', { controllers: names });
    giveBackMemoryWhenIdle();
    const stop = new AbortController();
    void untilSignal().then(() => stop.abort());
    try {
      await manager.run(stop.signal);
    } finally {
      client.close();
    }
    if (!stop.signal.aborted) throw new CommandError('lost the leader lease; exiting so a successor can act');
  });
}
