/**
 * Namespaces inside the server:
 * - which namespaces exist (an index fed by the namespaces watch cache, so a create does not cost
 *   an extra store read; a miss is confirmed against the store before answering 404);
 * - the namespaces that always exist (default, kube-system, kube-public, kube-node-lease);
 * - the lifecycle of a terminating namespace: delete everything in it, then the namespace itself,
 *   as upstream's namespace controller does.
 */
import { AlreadyExists, isNotFound } from '../api/errors';
import type { Obj } from '../api/object';
import { errorMessage, logger } from '../log';
import { deleteObject } from './deletion';
import type { Registry, ResourceType } from './registry';
import { namespaceNotFound, namespaceTerminating, NamespaceCheck, ResourceStorage } from './storage';
import type { WatchCaches } from './services';

const log = logger('namespaces');
export const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
const namespaceFinalizer = 'kubernetes';

export class Namespaces implements NamespaceCheck {
  /** name → terminating?, as of the store revision that said so (an older event cannot undo a newer state). */
  private readonly known = new Map<string, { terminating: boolean; revision: number }>();
  private subscription?: { close(): void };
  private sweepTimer?: NodeJS.Timeout;
  private readonly sweeping = new Set<string>();
  private storage!: ResourceStorage;

  constructor(
    private readonly registry: Registry,
    private readonly sweepIntervalMs = 2000,
  ) {}

  private get type(): ResourceType {
    return this.registry.get('', 'v1', 'namespaces')!;
  }

  /** Loads the index, follows changes, creates the system namespaces, starts the lifecycle loop. */
  async start(storage: ResourceStorage, caches: WatchCaches): Promise<void> {
    this.storage = storage;
    const cache = caches.for(this.type);
    await cache.start();
    const list = await storage.list(this.type, undefined);
    for (const ns of list.items) this.observe(ns, Number(ns.metadata.resourceVersion));
    this.subscription = await cache.subscribe(Number(list.resourceVersion), () => true, {
      send: (events) => {
        for (const e of events) {
          const revision = Number(e.object.metadata.resourceVersion);
          if (e.type !== 'DELETED') this.observe(e.object, revision);
          else if (revision >= (this.known.get(e.object.metadata.name!)?.revision ?? 0)) this.known.delete(e.object.metadata.name!);
        }
        return true;
      },
      bookmark: () => undefined,
      end: () => undefined,
    });
    for (const name of systemNamespaces) {
      if (this.known.has(name)) continue;
      try {
        await storage.create(this.type, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { fieldManager: 'berth-apiserver' });
      } catch (e) {
        if (!(e instanceof AlreadyExists)) throw e;
      }
    }
    this.sweepTimer = setInterval(() => void this.sweep(), this.sweepIntervalMs);
    this.sweepTimer.unref();
  }

  stop(): void {
    this.subscription?.close();
    if (this.sweepTimer) clearInterval(this.sweepTimer);
  }

  async assertWritable(namespace: string, type: ResourceType): Promise<void> {
    let terminating = this.known.get(namespace)?.terminating;
    if (terminating === undefined) {
      // The index may lag a namespace created a moment ago: ask the store before saying 404.
      const entry = await this.storage.getEntry(this.type, undefined, namespace);
      if (!entry) throw namespaceNotFound(namespace);
      terminating = Boolean(entry.object.metadata.deletionTimestamp);
    }
    if (terminating && !(type.group === '' && (type.kind === 'Event' || type.kind === 'Lease'))) {
      throw namespaceTerminating(namespace, type);
    }
  }

  /**
   * A namespace as of `revision`, from the watch or from this server's own write (marked for
   * deletion, say) before its event arrives: a create into a namespace whose DELETE was answered
   * is refused at once, as upstream's NamespaceLifecycle admission does with its live lookups
   * after a delete. An older state than the one known is ignored.
   */
  observe(ns: Obj, revision: number): void {
    const name = ns.metadata.name!;
    if (revision < (this.known.get(name)?.revision ?? 0)) return;
    const terminating = Boolean(ns.metadata.deletionTimestamp);
    this.known.set(name, { terminating, revision });
    if (terminating) void this.finish(name);
  }

  private async sweep(): Promise<void> {
    for (const [name, { terminating }] of this.known) if (terminating) await this.finish(name);
  }

  /** Deletes what a terminating namespace holds; once it is empty, removes the namespace. */
  private async finish(name: string): Promise<void> {
    if (this.sweeping.has(name)) return;
    this.sweeping.add(name);
    try {
      let remaining = 0;
      for (const type of this.namespacedTypes()) {
        const list = await this.storage.list(type, name);
        remaining += list.items.length;
        for (const item of list.items) {
          if (item.metadata.deletionTimestamp) continue;
          try {
            await deleteObject(this.storage, type, name, item.metadata.name!, { propagationPolicy: 'Background' });
          } catch (e) {
            if (!isNotFound(e)) throw e;
          }
        }
      }
      if (remaining > 0) return;
      // Clearing the last finalizer of a namespace being deleted deletes it (storage.replace).
      await this.storage.guaranteedUpdate(this.type, undefined, name, (ns) => {
        const spec = (ns.spec ?? {}) as { finalizers?: string[] };
        spec.finalizers = (spec.finalizers ?? []).filter((f) => f !== namespaceFinalizer);
        ns.spec = spec;
        return ns;
      }, { fieldManager: 'berth-namespace-lifecycle' });
      log.info('namespace emptied and finalized', { namespace: name });
    } catch (e) {
      if (!isNotFound(e)) log.warn('could not finish deleting a namespace; will retry', { namespace: name, error: errorMessage(e) });
    } finally {
      this.sweeping.delete(name);
    }
  }

  /** One version of each namespaced resource (versions share storage). */
  private namespacedTypes(): ResourceType[] {
    const seen = new Set<string>();
    const types: ResourceType[] = [];
    for (const t of this.registry.all()) {
      const key = `${t.group}/${t.plural}`;
      if (!t.namespaced || seen.has(key)) continue;
      seen.add(key);
      types.push(t);
    }
    return types;
  }
}
