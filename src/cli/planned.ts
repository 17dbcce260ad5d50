import { Command } from 'commander';
import { CommandError, ExitCode } from './exit';

/** Subcommands that are designed but not built yet; they say so rather than pretend. */
const plan: Array<[name: string, summary: string]> = [
  ['up', 'run a whole cluster in one process: API server, controllers, a local agent'],
  ['server', 'serve the Kubernetes API over a store (embedded SQLite or etcd)'],
  ['controllers', 'run the controller loops, leader-elected'],
  ['agent', 'run a node agent that reconciles pods with Docker'],
  ['apply', 'apply manifests and wait until they are ready'],
  ['diff', 'show what applying manifests would change'],
  ['get', 'list or watch objects'],
  ['describe', 'show an object with its recent events'],
  ['delete', 'delete objects'],
  ['logs', "print a pod container's logs"],
  ['scale', 'set the replicas of a Deployment or ReplicaSet'],
  ['rollout', 'status, history, undo, restart, pause and resume a rollout'],
  ['explain', 'why a pod is where it is, or why it is pending'],
  ['cordon', 'mark a node unschedulable'],
  ['uncordon', 'mark a node schedulable'],
  ['drain', 'cordon a node and evict its pods'],
  ['events', 'list or watch events'],
];

export function planned(program: Command): void {
  const taken = new Set(program.commands.map((c) => c.name()));
  for (const [name, summary] of plan) {
    if (taken.has(name)) continue;
    program
      .command(name)
      .description(`${summary} (not built yet)`)
      .allowUnknownOption()
      .allowExcessArguments()
      .action(() => {
        throw new CommandError(`"berth ${name}" is not built yet`, ExitCode.notBuilt);
      });
  }
}
