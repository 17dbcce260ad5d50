/**
 * Keeps one Node current, as kubelet's node status loop does:
 *
 *   register ──► create the Node (or take over an existing one: labels merged, status ours)
 *   every 10 s ─► renew the Lease (whatever the runtime's health)
 *   every 10 s ─► look: runtime answering? memory, disk, pids? ──► conditions
 *                 write status (a strategic merge patch of nodes/status) when they differ
 *                 from the stored Node, or when the last report is a minute old
 *                 Ready changed? ──► NodeReady / NodeNotReady event, onReadyChange
 */
import { isAlreadyExists } from '../../api/errors';
import { Node } from '../../api/types';
import type { Client, EventRecorder } from '../../client';
import { kinds } from '../../client';
import { backoffDelay, sleep } from '../../client/abort';
import { errorMessage, logger, Logger } from '../../log';
import { timestamp } from '../pod-sync/status';
import { conditionsChanged, isReady, nodeConditions, NodeHealth } from './conditions';
import { NodeLease } from './node-lease';
import { NodeDescription, nodeObject, ownedStatus, wellKnownLabels } from './node-object';

export interface NodeReporterOptions {
  client: Client;
  description: NodeDescription;
  /** The runtime and host as they are now; `runtimeVersion` when the runtime answered. */
  health(): Promise<NodeHealth & { runtimeVersion?: string }>;
  /** The Node as the API holds it (an informer's copy), to compare with. */
  stored(): Node | undefined;
  recorder?: EventRecorder;
  leaseDurationSeconds?: number;
  renewEveryMs?: number;
  checkEveryMs?: number;
  /** Status is written at least this often even when nothing changed (default 60 s). */
  reportEveryMs?: number;
  /** Waits this long before the first heartbeat (many simulated nodes spread theirs). */
  firstBeatDelayMs?: number;
  onReadyChange?(ready: boolean): void;
}

export class NodeReporter {
  private readonly lease: NodeLease;
  private readonly log: Logger;
  private description: NodeDescription;
  private node?: Node;
  private ready?: boolean;
  private lastReport = 0;
  private wake?: () => void;

  constructor(private readonly options: NodeReporterOptions) {
    this.description = options.description;
    this.lease = new NodeLease(options.client, options.description.name, { durationSeconds: options.leaseDurationSeconds });
    this.log = logger('node', { node: options.description.name });
  }

  get name(): string {
    return this.description.name;
  }

  /** Whether the last look found the node able to run pods. */
  isReady(): boolean {
    return this.ready === true;
  }

  /** Creates or takes over the Node; retries until it succeeds or `signal` aborts. */
  async register(signal: AbortSignal): Promise<Node | undefined> {
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        const health = await this.look();
        const desired = nodeObject(this.description);
        desired.status!.conditions = nodeConditions(health, undefined, timestamp(Date.now()));
        this.node = await this.createOrAdopt(desired, signal);
        this.lastReport = Date.now();
        this.transition(isReady(this.node.status?.conditions), health.runtimeError);
        this.log.info('node registered', { ready: this.ready });
        return this.node;
      } catch (error) {
        if (signal.aborted) break;
        this.log.warn('could not register the node; retrying', { error: errorMessage(error) });
        await sleep(backoffDelay(attempt, 500, 10_000), signal);
      }
    }
    return undefined;
  }

  private async createOrAdopt(desired: Node, signal: AbortSignal): Promise<Node> {
    const nodes = this.options.client.resource(kinds.Node);
    try {
      return await nodes.create(desired, { signal });
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
    // A node of this name exists (this agent ran before): keep its spec, set our labels and status.
    const labels = { ...this.description.labels, ...wellKnownLabels(this.name, this.description.identity) };
    await nodes.patch(this.name, 'strategic', { metadata: { labels } }, { signal });
    return nodes.patch(this.name, 'strategic', { status: desired.status }, { signal, subresource: 'status' });
  }

  /** One look at the node; writes its status if it changed or a report is due. */
  async check(signal?: AbortSignal): Promise<void> {
    const health = await this.look();
    const now = Date.now();
    const stored = this.options.stored() ?? this.node;
    const conditions = nodeConditions(health, stored?.status?.conditions, timestamp(now));
    const due = now - this.lastReport >= (this.options.reportEveryMs ?? 60_000);
    if (due || conditionsChanged(stored?.status?.conditions, conditions)) {
      const status = { ...ownedStatus(this.description), conditions };
      this.node = await this.options.client.resource(kinds.Node).patch(this.name, 'strategic', { status }, { signal, subresource: 'status' });
      this.lastReport = now;
    }
    this.transition(isReady(conditions), health.runtimeError);
  }

  private async look(): Promise<NodeHealth> {
    const health = await this.options.health();
    if (health.runtimeVersion) this.description = { ...this.description, runtimeVersion: health.runtimeVersion };
    return health;
  }

  private transition(ready: boolean, why: string | undefined): void {
    if (this.ready === ready) return;
    const first = this.ready === undefined;
    this.ready = ready;
    if (!first || !ready) {
      const ref = this.nodeRef();
      if (ready) this.options.recorder?.event(ref, 'Normal', 'NodeReady', `Node ${this.name} status is now: NodeReady`);
      else this.options.recorder?.event(ref, 'Normal', 'NodeNotReady', `Node ${this.name} status is now: NodeNotReady${why ? ` (${why})` : ''}`);
      this.log.info(ready ? 'node is ready' : 'node is not ready', { why });
    }
    this.options.onReadyChange?.(ready);
  }

  private nodeRef(): Node {
    return { apiVersion: 'v1', kind: 'Node', metadata: { name: this.name, uid: this.name } };
  }

  /** Looks again soon (the runtime was seen failing, or coming back). */
  poke(): void {
    this.wake?.();
  }

  /** Heartbeats and looks until `signal` aborts (register first). */
  async run(signal: AbortSignal): Promise<void> {
    if (this.options.firstBeatDelayMs) await sleep(this.options.firstBeatDelayMs, signal);
    await Promise.all([this.beat(signal), this.watchHealth(signal)]);
  }

  private async beat(signal: AbortSignal): Promise<void> {
    const every = this.options.renewEveryMs ?? 10_000;
    while (!signal.aborted) {
      try {
        await this.lease.renew(this.options.stored() ?? this.node, signal);
      } catch (error) {
        if (!signal.aborted) this.log.warn('could not renew the node lease', { error: errorMessage(error) });
      }
      await sleep(every, signal);
    }
  }

  private async watchHealth(signal: AbortSignal): Promise<void> {
    const every = this.options.checkEveryMs ?? 10_000;
    while (!signal.aborted) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, every);
        function done() {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        }
        this.wake = done;
        signal.addEventListener('abort', done, { once: true });
      });
      this.wake = undefined;
      if (signal.aborted) return;
      try {
        await this.check(signal);
      } catch (error) {
        if (!signal.aborted) this.log.warn('could not report the node status', { error: errorMessage(error) });
      }
    }
  }
}

