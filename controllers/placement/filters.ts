/**
 * The filters, in the order they run; a node is rejected by the first that gives a reason.
 * The order and the wording follow upstream's default plugins (NodeUnschedulable,
 * TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit, PodTopologySpread,
 * InterPodAffinity), with NodeReady first.
 */
import type { Taint } from '../../src/api/types';
import { interPodAffinityFilter } from './inter-pod-affinity';
import { firstUntolerated, nodeAffinityMatches, toleratesAny } from './node-match';
import type { Check, Filter } from './plugin';
import { BLOCKING_TAINTS, FLAGS, FREE_CPU, FREE_MEMORY, FREE_PODS, FREE_STORAGE, READINESS, UNSCHEDULABLE } from './node-table';
import { insufficientReason, nodeAffinityReason, portsReason, taintReason, tooManyPodsReason, unschedulableReason } from './reasons';
import { topologySpreadFilter } from './topology-spread';

export const notReadyTaint: Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' };
export const unreachableTaint: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' };
export const unschedulableTaint: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

/**
 * A node whose Ready condition is not True. Upstream's node lifecycle controller taints such a
 * node (not-ready when False, unreachable when Unknown) and TaintToleration keeps pods off; here
 * the filter reads the condition itself, so a node is refused from the first missed heartbeat,
 * with the reason upstream would give, and pods that tolerate the taint (DaemonSet-like) pass.
 */
export const nodeReady: Filter = {
  name: 'NodeReady',
  prepare({ pod }) {
    const notReady = toleratesAny(pod.tolerations, notReadyTaint) ? undefined : taintReason(notReadyTaint);
    const unreachable = toleratesAny(pod.tolerations, unreachableTaint) ? undefined : taintReason(unreachableTaint);
    return (node) => {
      const readiness = node.figure(READINESS);
      return readiness === 0 ? undefined : readiness === 2 ? unreachable : notReady;
    };
  },
};

/** A cordoned node (`spec.unschedulable`), unless the pod tolerates the unschedulable taint. */
export const nodeUnschedulable: Filter = {
  name: 'NodeUnschedulable',
  prepare({ pod }) {
    if (toleratesAny(pod.tolerations, unschedulableTaint)) return undefined;
    return (node) => (node.figure(FLAGS) & UNSCHEDULABLE ? unschedulableReason : undefined);
  },
};

/** The first NoSchedule or NoExecute taint of the node that the pod does not tolerate. */
export const taintToleration: Filter = {
  name: 'TaintToleration',
  prepare({ pod }) {
    return (node) => {
      if ((node.figure(FLAGS) & BLOCKING_TAINTS) === 0) return undefined;
      const taint = firstUntolerated(node.blockingTaints, pod.tolerations);
      return taint ? taintReason(taint) : undefined;
    };
  },
};

/** The pod's nodeSelector and required node affinity. */
export const nodeAffinity: Filter = {
  name: 'NodeAffinity',
  prepare({ pod }) {
    if (pod.nodeSelector.length === 0 && pod.requiredNodeTerms === undefined) return undefined;
    return (node) => (nodeAffinityMatches(pod.nodeSelector, pod.requiredNodeTerms, node.labels, node.name) ? undefined : nodeAffinityReason);
  },
};

/** The pod's host ports are free on the node. */
export const nodePorts: Filter = {
  name: 'NodePorts',
  prepare({ pod }) {
    if (pod.hostPorts.length === 0) return undefined;
    return (node) => {
      for (const p of pod.hostPorts) if (node.portTaken(p)) return portsReason;
      return undefined;
    };
  },
};

const cpuReason = insufficientReason('cpu');
const memoryReason = insufficientReason('memory');
const storageReason = insufficientReason('ephemeral-storage');

function withReason(reasons: string | string[] | undefined, reason: string): string | string[] {
  if (reasons === undefined) return reason;
  if (typeof reasons === 'string') return [reasons, reason];
  reasons.push(reason);
  return reasons;
}

/**
 * Room for one more pod, and for every resource the pod requests, against the sum of the
 * requests of the pods already there (not what they use). Every missing resource is a reason.
 */
export const nodeResourcesFit: Filter = {
  name: 'NodeResourcesFit',
  prepare({ pod }): Check {
    const { cpu, memory, ephemeralStorage, scalar } = pod.requests;
    const asks = cpu > 0 || memory > 0 || ephemeralStorage > 0 || scalar.length > 0;
    const scalarReasons = scalar.map(([name]) => insufficientReason(name));
    return (node) => {
      // The free amounts from the node's row (node-table.ts): one cache line.
      let reasons: string | string[] | undefined;
      if (1 > node.figure(FREE_PODS)) reasons = tooManyPodsReason;
      if (!asks) return reasons;
      if (cpu > 0 && cpu > node.figure(FREE_CPU)) reasons = withReason(reasons, cpuReason);
      if (memory > 0 && memory > node.figure(FREE_MEMORY)) reasons = withReason(reasons, memoryReason);
      if (ephemeralStorage > 0 && ephemeralStorage > node.figure(FREE_STORAGE)) reasons = withReason(reasons, storageReason);
      for (let i = 0; i < scalar.length; i++) {
        const [name, value] = scalar[i];
        if (value > (node.allocatableScalar.get(name) ?? 0) - (node.requestedScalar.get(name) ?? 0)) reasons = withReason(reasons, scalarReasons[i]);
      }
      return reasons;
    };
  },
};

export const defaultFilters: readonly Filter[] = [
  nodeReady,
  nodeUnschedulable,
  taintToleration,
  nodeAffinity,
  nodePorts,
  nodeResourcesFit,
  topologySpreadFilter,
  interPodAffinityFilter,
];
