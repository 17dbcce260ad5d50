/**
 * The pod reconciler declared to the controller runtime: its `for` informer is the pods of this
 * process's node(s) (a field selector on spec.nodeName), and ConfigMaps and Secrets are watched
 * so that a change reaches the pods that refer to them.
 */
import { ConfigMap, Pod, Secret } from '../../api/types';
import type { Controller, EventRecorder, InformerScope, Informer, Manager } from '../../client';
import { ExponentialRateLimiter, kinds } from '../../client';
import { AgentNode, indexUids, PodReconciler } from './pod-reconciler';
import { indexReferences, PodInputSource, podsReferring } from './pod-inputs';

export interface PodControllerOptions {
  manager: Manager;
  nodes: ReadonlyMap<string, AgentNode>;
  /** Which pods the informer holds: `spec.nodeName=<node>` for one node. */
  scope: InformerScope;
  recorder?: EventRecorder;
  /** Pods synced at once (default 16: a sync mostly waits on the runtime). */
  workers?: number;
  resyncMs?: number;
  runtimeRetryMs?: number;
}

export interface PodController {
  controller: Controller;
  reconciler: PodReconciler;
  pods: Informer<Pod>;
  /** Syncs a pod soon. */
  enqueue(key: string): void;
}

export function addPodController(options: PodControllerOptions): PodController {
  const informers = options.manager.informers;
  const pods = informers.for(kinds.Pod, options.scope);
  indexReferences(pods);
  indexUids(pods);
  const configMaps = informers.for(kinds.ConfigMap);
  const secrets = informers.for(kinds.Secret);
  const reconciler = new PodReconciler({
    client: informers.client,
    pods,
    inputs: new PodInputSource(configMaps, secrets),
    nodes: options.nodes,
    recorder: options.recorder,
    resyncMs: options.resyncMs,
    runtimeRetryMs: options.runtimeRetryMs,
  });
  const controller = options.manager.add({
    name: 'pods',
    for: kinds.Pod,
    forScope: options.scope,
    watches: [
      { kind: kinds.ConfigMap, map: (cm: ConfigMap) => podsReferring(pods, cm) },
      { kind: kinds.Secret, map: (secret: Secret) => podsReferring(pods, secret) },
    ],
    workers: options.workers ?? 16,
    // A pod's containers may take their whole grace period to stop.
    reconcileTimeoutMs: 10 * 60_000,
    // A failed sync is tried again soon and never waits more than 30 s (kubelet's pod backoff is per container).
    rateLimiter: new ExponentialRateLimiter(100, 30_000),
    reconciler,
  });
  return { controller, reconciler, pods, enqueue: (key) => controller.queue.add(key) };
}
