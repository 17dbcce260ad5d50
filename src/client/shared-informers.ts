/**
 * One informer per resource and scope, shared by every controller in a process: three controllers
 * that read pods cost one list and one watch, and see the same cache.
 *
 *   const informers = new SharedInformerFactory(client, { resyncMs: 600_000 });
 *   const pods = informers.for(kinds.Pod);                          all namespaces
 *   const local = informers.for(kinds.Pod, { fieldSelector: 'spec.nodeName=n1' });
 *   informers.start(signal); await informers.waitForSync(signal);
 *
 * Informers asked for after `start` start at once, under the same signal.
 */
import type { Obj } from '../api/object';
import type { Client } from './client';
import { Informer, InformerOptions } from './informer';
import type { KindRef } from './kinds';

/** What narrows an informer: one namespace, a label or a field selector. */
export interface InformerScope {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export type SharedInformerOptions = Omit<InformerOptions, 'labelSelector' | 'fieldSelector' | 'transform'> & {
  /** Applied to every object of every informer before it is cached (see `stripManagedFields`). */
  transform?: (obj: Obj) => Obj;
};

export class SharedInformerFactory {
  private readonly informers = new Map<string, Informer<Obj>>();
  private readonly runs = new Set<Promise<void>>();
  private signal?: AbortSignal;

  constructor(
    readonly client: Client,
    private readonly options: SharedInformerOptions = {},
  ) {}

  /** The shared informer of `ref` in `scope`, made on first request. */
  for<T extends Obj>(ref: KindRef<T>, scope: InformerScope = {}): Informer<T> {
    const id = [ref.group, ref.version, ref.plural, scope.namespace ?? '', scope.labelSelector ?? '', scope.fieldSelector ?? ''].join('|');
    let informer = this.informers.get(id) as Informer<T> | undefined;
    if (!informer) {
      const resource = this.client.resource(ref, scope.namespace);
      informer = new Informer<T>(resource, {
        ...this.options,
        transform: this.options.transform as ((obj: T) => T) | undefined,
        labelSelector: scope.labelSelector,
        fieldSelector: scope.fieldSelector,
      });
      this.informers.set(id, informer as unknown as Informer<Obj>);
      if (this.signal && !this.signal.aborted) this.launch(informer as unknown as Informer<Obj>, this.signal);
    }
    return informer;
  }

  /** Whether `start` was called with a signal that has not aborted. */
  get started(): boolean {
    return this.signal !== undefined && !this.signal.aborted;
  }

  /** Starts every informer (and any asked for later) until `signal` aborts. */
  start(signal: AbortSignal): void {
    this.signal = signal;
    for (const informer of this.informers.values()) this.launch(informer, signal);
  }

  /** Resolves true once every informer made so far has synced; false if `signal` aborts first. */
  async waitForSync(signal?: AbortSignal): Promise<boolean> {
    const results = await Promise.all([...this.informers.values()].map((i) => i.waitForSync(signal)));
    return results.every(Boolean);
  }

  /** Resolves when every started informer has stopped (after the start signal aborted). */
  async stopped(): Promise<void> {
    await Promise.all([...this.runs]);
  }

  private launch(informer: Informer<Obj>, signal: AbortSignal): void {
    const run = informer.run(signal);
    if (this.runs.has(run)) return;
    this.runs.add(run);
    void run.finally(() => this.runs.delete(run));
  }
}
