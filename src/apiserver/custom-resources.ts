/**
 * User CustomResourceDefinitions, served as soon as they are created:
 *
 *   CRD written ─► watch ─► registry.add(each served version) ─► watch cache ─► status Established
 *   CRD deleted ─► (finalizer customresourcecleanup) delete every object of it ─► drop the finalizer
 *              ─► CRD gone ─► registry.remove
 *
 * Driven by the CRD watch cache, so every API server sharing a store serves the same kinds.
 */
import { fromCustomResourceDefinition } from '../../crds/custom-resource';
import { isNotFound } from '../api/errors';
import type { Obj } from '../api/object';
import { errorMessage, logger } from '../log';
import { CacheFollower, followCache } from './cache-follower';
import { deleteObject } from './deletion';
import type { Registry, ResourceType } from './registry';
import type { Services } from './services';
import { nowTimestamp } from './storage';
import type { WatchCacheSet } from './watch-caches';

const log = logger('custom-resources');
export const cleanupFinalizer = 'customresourcecleanup.apiextensions.k8s.io';

export class CustomResourceDefinitions {
  private follower?: CacheFollower;
  private readonly served = new Map<string, { group: string; plural: string }>();
  private readonly busy = new Set<string>();

  constructor(
    private readonly registry: Registry,
    private readonly services: Services,
    private readonly caches: WatchCacheSet,
  ) {}

  private get crdType(): ResourceType {
    return this.registry.get('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!;
  }

  async start(): Promise<void> {
    this.follower = await followCache({
      what: 'custom resource definitions',
      type: this.crdType,
      storage: this.services.storage,
      cache: this.caches.for(this.crdType),
      replace: async (items) => {
        const present = new Set(items.map((crd) => crd.metadata.name!));
        for (const name of [...this.served.keys()]) if (!present.has(name)) this.forget({ metadata: { name } });
        for (const crd of items) await this.observe(crd);
      },
      apply: (type, crd) => (type === 'DELETED' ? this.forget(crd) : void this.observe(crd)),
    });
  }

  stop(): void {
    this.follower?.close();
  }

  private async observe(crd: Obj): Promise<void> {
    const name = crd.metadata.name!;
    let declarations;
    try {
      declarations = fromCustomResourceDefinition(crd as Parameters<typeof fromCustomResourceDefinition>[0]);
    } catch (e) {
      log.warn('cannot serve a CustomResourceDefinition', { crd: name, error: errorMessage(e) });
      return;
    }
    if (declarations.length === 0) return;
    const { group, plural } = declarations[0];
    // Re-declare every version (a CRD may have changed its versions), with no await in between
    // so no request sees the resource missing.
    const previous = this.served.get(name);
    if (previous) this.registry.removeResource(previous.group, previous.plural);
    for (const d of declarations) this.registry.add(d);
    this.served.set(name, { group, plural });
    const type = this.registry.anyVersion(group, plural)!;
    await this.caches.for(type).start();
    if (crd.metadata.deletionTimestamp) void this.cleanUp(crd, type);
    else await this.markEstablished(crd);
  }

  private forget(crd: Obj): void {
    const served = this.served.get(crd.metadata.name!);
    if (!served) return;
    this.served.delete(crd.metadata.name!);
    const type = this.registry.anyVersion(served.group, served.plural);
    if (type) this.caches.drop(type);
    this.registry.removeResource(served.group, served.plural);
    log.info('custom resource no longer served', { crd: crd.metadata.name });
  }

  private async markEstablished(crd: Obj): Promise<void> {
    const status = (crd.status ?? {}) as { conditions?: Array<{ type: string; status: string }> };
    const established = status.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
    if (established) return;
    const spec = crd.spec as { names?: Record<string, unknown>; versions?: Array<{ name: string; storage?: boolean }> };
    try {
      await this.services.storage.guaranteedUpdate(
        this.crdType,
        undefined,
        crd.metadata.name!,
        (current) => {
          const now = nowTimestamp();
          current.status = {
            ...(current.status as object),
            acceptedNames: spec.names,
            storedVersions: (spec.versions ?? []).filter((v) => v.storage).map((v) => v.name),
            conditions: [
              { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found', lastTransitionTime: now },
              { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted', lastTransitionTime: now },
            ],
          };
          return current;
        },
        { subresource: 'status', fieldManager: 'berth-apiextensions' },
      );
      log.info('custom resource served', { crd: crd.metadata.name });
    } catch (e) {
      if (!isNotFound(e)) log.warn('could not mark a CRD established', { crd: crd.metadata.name, error: errorMessage(e) });
    }
  }

  /** Deletes every object of a CRD being deleted, then releases the CRD. */
  private async cleanUp(crd: Obj, type: ResourceType): Promise<void> {
    const name = crd.metadata.name!;
    if (this.busy.has(name)) return;
    this.busy.add(name);
    try {
      const list = await this.services.storage.list(type, undefined);
      for (const item of list.items) {
        try {
          await deleteObject(this.services.storage, type, item.metadata.namespace, item.metadata.name!, { propagationPolicy: 'Background' });
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      }
      if ((await this.services.storage.list(type, undefined, { limit: 1 })).items.length > 0) {
        setTimeout(() => void this.retry(name), 1000).unref();
        return;
      }
      await this.services.storage.guaranteedUpdate(
        this.crdType,
        undefined,
        name,
        (current) => {
          current.metadata.finalizers = (current.metadata.finalizers ?? []).filter((f) => f !== cleanupFinalizer);
          return current;
        },
        { fieldManager: 'berth-apiextensions' },
      );
    } catch (e) {
      if (!isNotFound(e)) {
        log.warn('could not clean up a deleted CRD; retrying', { crd: name, error: errorMessage(e) });
        setTimeout(() => void this.retry(name), 2000).unref();
      }
    } finally {
      this.busy.delete(name);
    }
  }

  private async retry(name: string): Promise<void> {
    const entry = await this.services.storage.getEntry(this.crdType, undefined, name).catch(() => undefined);
    if (entry) await this.observe(entry.object);
  }
}
