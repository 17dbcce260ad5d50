/**
 * POST pods/<name>/binding: placement binds a pending pod to a node. The bind is refused (409)
 * when the pod is already bound or when the node cannot hold it given what is committed there
 * right now, so racing schedulers never over-commit a node. The pod is written as upstream's
 * binding writes it, straight to storage: spec.nodeName and PodScheduled=True, no pod admission
 * and no managedFields entry.
 */
import { BadRequest, Conflict, NotFound } from '../../api/errors';
import { Binding as BindingCodec } from '../../api/types';
import type { Obj } from '../../api/object';
import { parseBody, readBody, sendJson } from '../http';
import { nowTimestamp } from '../storage';
import { checkBodyKind, decodeBody, isDryRun, RequestContext } from './context';

export async function bindPod(ctx: RequestContext): Promise<void> {
  const body = decodeBody(BindingCodec, checkBodyKind(ctx.type, parseBody(await readBody(ctx.req), ctx.req.headers['content-type']), 'Binding', 'v1'), 'Binding');
  const podName = ctx.info.name!;
  if (body.metadata.name !== undefined && body.metadata.name !== podName) throw new BadRequest('name in URL does not match name in Binding object');
  const node = body.target.name;
  if (!node) throw new BadRequest('target.name: Required value: a binding must name a node');
  if (body.target?.kind && body.target.kind !== 'Node') throw new BadRequest(`target.kind: Unsupported value: "${body.target.kind}": supported values: "Node"`);

  const { storage, commitments, watchCaches } = ctx.services;
  const nodes = ctx.services.registry.get('', 'v1', 'nodes')!;
  const bind = async () => {
    // The node's allocatable as the commitments know it from their watch saves a read; a node
    // they have not heard of yet (created a moment ago) is read from the store.
    const known = commitments?.knows(node) ?? false;
    const target = known ? undefined : (await storage.getEntry(nodes, undefined, node))?.object;
    if (!known && !target) throw new NotFound(`nodes "${node}" not found`, { name: node, kind: 'nodes' });
    const bound = await storage.guaranteedUpdate(
      ctx.type,
      ctx.info.namespace,
      podName,
      (pod: Obj) => {
        const spec = (pod.spec ?? {}) as { nodeName?: string };
        if (pod.metadata.deletionTimestamp) throw new Conflict(`pod ${podName} is being deleted, cannot be assigned to a host`);
        if (spec.nodeName) throw new Conflict(`pod ${podName} is already assigned to node "${spec.nodeName}"`);
        const misfit = commitments?.misfit(node, pod, target);
        if (misfit) throw new Conflict(`pod ${podName} does not fit on node "${node}": ${misfit}`);
        spec.nodeName = node;
        pod.spec = spec;
        pod.status = withScheduledCondition((pod.status ?? {}) as Record<string, unknown>);
        return pod;
      },
      { dryRun: isDryRun(ctx.query), subresource: 'binding', internal: true, cached: watchCaches.for(ctx.type).recent(ctx.info.namespace, podName) },
    );
    if (!isDryRun(ctx.query)) commitments?.setPod(bound);
  };
  if (commitments) await commitments.withNode(node, bind);
  else await bind();
  sendJson(ctx.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

function withScheduledCondition(status: Record<string, unknown>): Record<string, unknown> {
  const conditions = ((status.conditions as Array<Record<string, unknown>>) ?? []).filter((c) => c.type !== 'PodScheduled');
  conditions.unshift({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: nowTimestamp() });
  return { ...status, conditions };
}
