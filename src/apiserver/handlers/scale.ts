/**
 * The scale subresource (ReplicaSet, Deployment, StatefulSet, ReplicationController, and CRDs that
 * declare one): an autoscaling/v1 Scale view of `spec.replicas`. kubectl scale sends a merge patch
 * here; PUT works as well.
 */
import { BadRequest, MethodNotAllowed } from '../../api/errors';
import type { Obj } from '../../api/object';
import { fromLabelSelector } from '../../api/selector';
import { Scale } from '../../api/types';
import { getPath, setPath } from '../../util/json';
import { parseBody, readBody, sendJson } from '../http';
import type { ResourceType } from '../registry';
import { checkBodyKind, decodeBody, fieldManager, isDryRun, RequestContext } from './context';
import { patchDocument } from './patch';

export function toScale(type: ResourceType, obj: Obj): Obj {
  const scale = type.decl.subresources.scale!;
  const replicas = getPath(obj, scale.specReplicasPath);
  const status: Record<string, unknown> = { replicas: getPath(obj, scale.statusReplicasPath) ?? 0 };
  const selector = selectorString(type, obj);
  if (selector !== undefined) status.selector = selector;
  const { name, namespace, uid, resourceVersion, creationTimestamp } = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: typeof replicas === 'number' ? replicas : 0 },
    status,
  };
}

/**
 * Built-in kinds compute the selector string from spec.selector (a LabelSelector, or a plain label
 * map for ReplicationControllers); CRDs declare where it is.
 */
function selectorString(type: ResourceType, obj: Obj): string | undefined {
  if (type.decl.builtin) {
    const selector = getPath(obj, 'spec.selector');
    if (!selector || typeof selector !== 'object') return undefined;
    const labelMap = typeof type.decl.schema.properties?.spec?.properties?.selector?.additionalProperties === 'object';
    return fromLabelSelector((labelMap ? { matchLabels: selector } : selector) as Parameters<typeof fromLabelSelector>[0]).toString();
  }
  const path = type.decl.subresources.scale?.labelSelectorPath;
  const value = path ? getPath(obj, path) : undefined;
  return typeof value === 'string' ? value : undefined;
}

export async function scaleSubresource(ctx: RequestContext): Promise<void> {
  const { storage } = ctx.services;
  const { type, info } = ctx;
  if (info.verb === 'get') {
    sendJson(ctx.res, 200, toScale(type, await storage.get(type, info.namespace, info.name!)));
    return;
  }
  if (info.verb !== 'update' && info.verb !== 'patch') throw new MethodNotAllowed(`${info.verb} is not supported on resources of kind "${type.plural}/scale"`);
  const raw = await readBody(ctx.req);
  const contentType = ctx.req.headers['content-type'];
  const path = type.decl.subresources.scale!.specReplicasPath;
  const updated = await storage.guaranteedUpdate(
    type,
    info.namespace,
    info.name!,
    (current) => {
      const scale = toScale(type, current);
      const next = decodeBody(Scale, checkBodyKind(type, info.verb === 'update' ? parseBody(raw, contentType) : patchDocument(scale, raw, contentType, undefined), 'Scale', 'autoscaling/v1'), 'Scale') as Obj;
      if (next.metadata.name !== undefined && next.metadata.name !== info.name) {
        throw new BadRequest(`the name of the object (${JSON.stringify(next.metadata.name)}) does not match the name on the URL (${info.name})`);
      }
      const replicas = (next?.spec as { replicas?: unknown } | undefined)?.replicas;
      if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
        throw new BadRequest(`spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be a non-negative integer`);
      }
      setPath(current, path.replace(/^\./, ''), replicas);
      const pinned = next.metadata?.resourceVersion;
      if (pinned) current.metadata.resourceVersion = pinned;
      return current;
    },
    { dryRun: isDryRun(ctx.query), fieldManager: fieldManager(ctx.req, ctx.query) },
  );
  sendJson(ctx.res, 200, toScale(type, updated));
}
