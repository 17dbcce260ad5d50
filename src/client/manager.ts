/**
 * A Manager runs a set of controllers in one process (`berth controllers`):
 *
 *   Manager.run(signal)
 *     ├─ shared informers start at once (a follower's caches are warm when it takes over)
 *     ├─ metrics on /metrics, when asked for
 *     └─ leader election (one Lease for the process) ──► leading? run every controller
 *                                                       lost?    stop them all, run() rejects
 *
 *   const manager = new Manager({ client, leaderElection: { name: 'berth-controllers' } });
 *   manager.add(({ informers, recorder }) => ({ name: 'replicaset', for: kinds.ReplicaSet, ... }));
 *   await manager.run(signal);
 */
import { errorMessage, logger } from '../log';
import { childController } from './abort';
import type { Client } from './client';
import { Controller, ControllerDeclaration } from './controller';
import { stripManagedFields } from './informer';
import { EventRecorder } from './event-recorder';
import { LeaderElector, LeaderElectionOptions } from './leader-election';
import { MetricsEndpoint, serveMetrics } from './metrics';
import { SharedInformerFactory, SharedInformerOptions } from './shared-informers';

const log = logger('manager');

/** What a controller is built from: the process's client, shared informers and event recorders. */
export interface ControllerTools {
  client: Client;
  informers: SharedInformerFactory;
  /** An event recorder reporting as `component` (e.g. `replicaset-controller`). */
  recorder(component: string): EventRecorder;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDeclaration = ControllerDeclaration<any>;
export type ControllerFactory = (tools: ControllerTools) => AnyDeclaration;

export interface ManagerOptions {
  client: Client;
  /** One Lease for the whole process; `false` runs without election (only when a single process runs). */
  leaderElection: false | (Partial<Omit<LeaderElectionOptions, 'client' | 'onStartedLeading' | 'onStoppedLeading'>> & { name?: string });
  /** Informer settings; the resync period defaults to 10 minutes, and managedFields are not cached. */
  informers?: SharedInformerOptions;
  /** Serve metrics on this port (0: any free one) and host (default 127.0.0.1). */
  metrics?: { port: number; host?: string };
}

export class Manager {
  readonly informers: SharedInformerFactory;
  readonly controllers: Controller[] = [];
  private readonly recorders: EventRecorder[] = [];
  private metricsEndpoint?: MetricsEndpoint;
  private elector?: LeaderElector;

  constructor(private readonly options: ManagerOptions) {
    this.informers = new SharedInformerFactory(options.client, { resyncMs: 10 * 60_000, transform: stripManagedFields, ...options.informers });
  }

  /** Adds a controller, given as its declaration or as a function of the shared tools. */
  add(controller: AnyDeclaration | ControllerFactory): Controller {
    const declaration = typeof controller === 'function' ? controller(this.tools()) : controller;
    if (this.controllers.some((c) => c.name === declaration.name)) throw new Error(`a controller named "${declaration.name}" was added already`);
    const built = new Controller(declaration, this.informers);
    this.controllers.push(built);
    return built;
  }

  /** Where metrics are served, once running with `metrics` set. */
  get metricsUrl(): string | undefined {
    return this.metricsEndpoint?.url;
  }

  /** True while this process holds the lease (always, without election, while running). */
  isLeader(): boolean {
    return this.elector ? this.elector.isLeader() : true;
  }

  /**
   * Runs until `signal` aborts; then stops the controllers, releases the lease and resolves.
   * Rejects if the lease is lost: the caller should exit, as a successor may already be acting.
   */
  async run(signal: AbortSignal): Promise<void> {
    const { controller: inner, dispose } = childController(signal);
    try {
      if (this.options.metrics) this.metricsEndpoint = await serveMetrics(this.options.metrics.port, this.options.metrics.host);
      this.informers.start(inner.signal);
      const election = this.options.leaderElection;
      if (election === false) {
        await this.runControllers(inner.signal);
        return;
      }
      this.elector = new LeaderElector({
        ...election,
        name: election.name ?? 'berth-controllers',
        client: this.options.client,
        onStartedLeading: (leading) => this.runControllers(leading),
      });
      await this.elector.run(inner.signal);
      if (!signal.aborted) throw new Error(`this process (${this.elector.identity}) lost the lease "${election.name ?? 'berth-controllers'}"; exit so that only one process acts`);
    } finally {
      inner.abort();
      dispose();
      await this.informers.stopped();
      await Promise.all(this.recorders.map((r) => r.flush()));
      await this.metricsEndpoint?.close();
      this.metricsEndpoint = undefined;
    }
  }

  private async runControllers(signal: AbortSignal): Promise<void> {
    log.info('starting controllers', { controllers: this.controllers.map((c) => c.name) });
    await Promise.all(
      this.controllers.map((c) =>
        c.run(signal).catch((e) => {
          log.error('controller failed', { controller: c.name, error: errorMessage(e) });
        }),
      ),
    );
  }

  private tools(): ControllerTools {
    return {
      client: this.options.client,
      informers: this.informers,
      recorder: (component) => {
        const recorder = new EventRecorder(this.options.client, { component });
        this.recorders.push(recorder);
        return recorder;
      },
    };
  }
}
