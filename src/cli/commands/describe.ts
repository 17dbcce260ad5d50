/**
 * `berth describe KIND [NAME...] | KIND/NAME [-l SEL] [-A]`, as kubectl describe: each object
 * with what its describer gathers (a Deployment's ReplicaSets, a ReplicaSet's pods, a Node's
 * pods and lease, a Service's endpoints) and its recent events; any other kind as a field dump.
 * A pending pod no node took ends with the placement explanation: per node, why not.
 * A name that matches nothing exactly describes the objects whose names start with it.
 */
import type { Command } from 'commander';
import { isNotFound } from '../../api/errors';
import type { Obj } from '../../api/object';
import type { CronJob, Deployment, Job, Namespace, Node, Pod, ReplicaSet, Service } from '../../api/types';
import { addConnectionFlags, Client, ConnectionOptions, KindRef, kinds } from '../../client';
import { errorMessage } from '../../log';
import { withSession } from '../connect';
import { CommandError, ExitCode } from '../exit';
import { describeNamespace, describeGeneric, describeNode, describeService } from '../output/describe/cluster';
import { describePod } from '../output/describe/pod';
import { formatLabelSelector } from '../output/describe/writer';
import { describeCronJob, describeDeployment, describeJob, describeReplicaSet, PodCounts } from '../output/describe/workloads';
import { eventsFor } from '../output/events';
import { parseTargets, ResourceType } from '../resolve';
import { explainPod, explanationText, waitingForPlacement } from './explain';
import { replicaSetsOf } from './rollout-revisions';

interface DescribeFlags extends ConnectionOptions {
  allNamespaces?: boolean;
  selector?: string;
  showEvents: boolean;
}

async function podCounts(client: Client, rs: ReplicaSet): Promise<PodCounts> {
  const selector = formatLabelSelector(rs.spec?.selector);
  const pods = await client.resource(kinds.Pod, rs.metadata.namespace).listAll({ labelSelector: selector === '<none>' ? undefined : selector });
  const counts: PodCounts = { running: 0, waiting: 0, succeeded: 0, failed: 0 };
  for (const pod of pods.items) {
    if (!pod.metadata.ownerReferences?.some((o) => o.controller && o.uid === rs.metadata.uid)) continue;
    const phase = pod.status?.phase;
    if (phase === 'Running') counts.running++;
    else if (phase === 'Pending') counts.waiting++;
    else if (phase === 'Succeeded') counts.succeeded++;
    else if (phase === 'Failed') counts.failed++;
  }
  return counts;
}

async function orUndefined<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** The description of one object, with what its describer needs gathered around it. */
async function describeOne(client: Client, type: ResourceType, obj: Obj, showEvents: boolean): Promise<string> {
  const meta = obj.metadata;
  const events = (kind?: string) => (showEvents ? eventsFor(client, { name: meta.name!, namespace: meta.namespace, kind, uid: meta.uid }) : Promise.resolve(undefined));
  switch (type.group === '' ? type.kind : `${type.group}/${type.kind}`) {
    case 'Pod': {
      const pod = obj as Pod;
      // kubectl leaves the kind out of a pod's event search.
      const placement = waitingForPlacement(pod) ? explanationText(pod, await explainPod(client, pod)) : undefined;
      return describePod(pod, await events(), placement);
    }
    case 'apps/Deployment': {
      const deployment = obj as Deployment;
      return describeDeployment(deployment, await replicaSetsOf(client, deployment), await events('Deployment'));
    }
    case 'apps/ReplicaSet':
      return describeReplicaSet(obj as ReplicaSet, await podCounts(client, obj as ReplicaSet), await events('ReplicaSet'));
    case 'batch/Job':
      return describeJob(obj as Job, await events('Job'));
    case 'batch/CronJob':
      return describeCronJob(obj as CronJob, await events('CronJob'));
    case 'Service': {
      const endpoints = await orUndefined(client.resource(kinds.Endpoints, meta.namespace).get(meta.name!));
      return describeService(obj as Service, endpoints, await events('Service'));
    }
    case 'Node': {
      const node = obj as Node;
      const fieldSelector = `spec.nodeName=${meta.name},status.phase!=Succeeded,status.phase!=Failed`;
      const [pods, lease] = await Promise.all([
        client.resource(kinds.Pod).listAll({ fieldSelector }),
        client
          .resource(kinds.Lease, 'kube-node-lease')
          .get(meta.name!)
          .catch((e: unknown) => {
            if (isNotFound(e)) return errorMessage(e);
            throw e;
          }),
      ]);
      // Node events name the node by uid (controllers) or by name (agents, as kubelets do).
      const nodeEvents = showEvents
        ? [...(await eventsFor(client, { name: meta.name!, kind: 'Node', uid: meta.uid })), ...(await eventsFor(client, { name: meta.name!, kind: 'Node', uid: meta.name }))]
        : undefined;
      return describeNode(node, pods.items, lease, nodeEvents);
    }
    case 'Namespace': {
      // kubectl leaves a section out when its list fails (a server that does not serve the kind).
      const listed = <T extends Obj>(kind: KindRef<T>) => client.resource(kind, meta.name).listAll().then((list) => list.items, () => undefined);
      const [quotas, limitRanges] = await Promise.all([listed(kinds.ResourceQuota), listed(kinds.LimitRange)]);
      return describeNamespace(obj as Namespace, quotas, limitRanges);
    }
    default:
      return describeGeneric(obj, await events(type.kind));
  }
}

/** The objects a target names: exact names, else names starting with it; or all matching the selector. */
async function objectsOf(client: Client, type: ResourceType, names: string[], namespace: string | undefined, selector: string | undefined): Promise<{ objects: Obj[]; missing: string[] }> {
  const resource = client.resource(type);
  const scoped = type.namespaced && namespace ? resource.namespace(namespace) : resource;
  if (names.length === 0) return { objects: (await scoped.listAll({ labelSelector: selector })).items, missing: [] };
  const objects: Obj[] = [];
  const missing: string[] = [];
  let all: Obj[] | undefined;
  for (const name of names) {
    try {
      objects.push(await scoped.get(name));
    } catch (e) {
      if (!isNotFound(e)) throw e;
      all ??= (await scoped.listAll({ labelSelector: selector })).items;
      const prefixed = all.filter((o) => o.metadata.name?.startsWith(name));
      if (prefixed.length === 0) missing.push(errorMessage(e));
      objects.push(...prefixed);
    }
  }
  return { objects, missing };
}

export function registerDescribe(program: Command): void {
  const command = program
    .command('describe')
    .description('show objects in detail with their recent events; a pending pod with why no node takes it')
    .argument('<kind>', 'a kind (pods, deploy, nodes, ...), kinds, or KIND/NAME')
    .argument('[names...]', 'names, or name prefixes, of objects of that kind')
    .option('-A, --all-namespaces', 'look in every namespace')
    .option('-l, --selector <selector>', 'only objects whose labels match')
    .option('--no-show-events', 'leave out the events');
  addConnectionFlags(command);
  command.action(async (kind: string, names: string[], flags: DescribeFlags) => {
    await withSession(flags, async (session) => {
      const targets = parseTargets([kind, ...names], await session.types());
      const namespace = flags.allNamespaces ? undefined : session.namespace;
      const missing: string[] = [];
      let described = 0;
      for (const target of targets) {
        const found = await objectsOf(session.client, target.type, target.names, namespace, flags.selector);
        missing.push(...found.missing);
        for (const obj of found.objects) {
          const text = await describeOne(session.client, target.type, obj, flags.showEvents);
          process.stdout.write(described === 0 ? text : `\n\n${text}`);
          described++;
        }
      }
      if (missing.length > 0) throw new CommandError(missing.join('\nerror: '), ExitCode.failed);
      if (described === 0) process.stderr.write(namespace && targets.every((t) => t.type.namespaced) ? `No resources found in ${namespace} namespace.\n` : 'No resources found\n');
    });
  });
}
