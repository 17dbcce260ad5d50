/** Makes the runtime an agent was asked for: docker (the default), process or simulated. */
import Docker from './docker/dockerode';
import { DockerRuntime } from './docker/docker-runtime';
import { ProcessRuntime } from './process/process-runtime';
import { ContainerRuntime, RuntimeKind } from './runtime';
import { SimulatedRuntime } from './simulated/simulated-runtime';

export interface RuntimeOptions {
  kind: RuntimeKind;
  node: string;
  dataDir: string;
  hostIP?: string;
  /** docker: the engine's socket (default: DOCKER_HOST or /var/run/docker.sock). */
  dockerSocket?: string;
  /** docker: the pod network's name and subnet. */
  network?: string;
  subnet?: string;
  /** simulated: how long containers take to run. */
  startDelayMs?: number;
  labels?: Record<string, string>;
}

export function createRuntime(options: RuntimeOptions): ContainerRuntime {
  switch (options.kind) {
    case 'docker':
      return new DockerRuntime({
        node: options.node,
        network: options.network,
        subnet: options.subnet,
        labels: options.labels,
        docker: options.dockerSocket ? new Docker({ socketPath: options.dockerSocket }) : undefined,
      });
    case 'process':
      return new ProcessRuntime({ node: options.node, dataDir: options.dataDir, hostIP: options.hostIP, labels: options.labels });
    case 'simulated':
      return new SimulatedRuntime({ node: options.node, startDelayMs: options.startDelayMs });
  }
}
