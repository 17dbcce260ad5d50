/**
 * The placement controller: the scheduler loop (scheduler.ts) wired to the shared informers and
 * the controller runtime.
 *
 *   pods, nodes, namespaces informers ─► Scheduler.snapshot          (always, leading or not:
 *                                                                     a successor starts warm)
 *   pods informer ─► runtime queue ─► reconcile(ns/name) ─► Scheduler.sync: file or drop the pod
 *   run(signal) ─► the decision loop, while this process leads
 *
 * The reconcile per pod only files it (a map lookup); deciding and binding happen in the loop,
 * many pods per turn, so no decision waits on a reconcile of its own.
 */
import type { ControllerSettings } from '..';
import type { Namespace, Node, Pod } from '../../src/api/types';
import { ControllerDeclaration, ControllerTools, kinds } from '../../src/client';
import { PlacementReporter } from './reporter';
import { defaultSchedulerName, Scheduler, SchedulerOptions } from './scheduler';

export interface PlacementOptions extends SchedulerOptions {
  /** Status writes at once (default 8). */
  statusWriters?: number;
}

export function placementController(tools: ControllerTools, settings: Pick<ControllerSettings, 'placementStrategy'>, options: PlacementOptions = {}): ControllerDeclaration<Pod> {
  const { client, informers } = tools;
  const pods = informers.for(kinds.Pod);
  const nodes = informers.for(kinds.Node);
  const namespaces = informers.for(kinds.Namespace);
  const schedulerName = options.schedulerName ?? defaultSchedulerName;
  // Events come from the scheduler name, as upstream reports them ("From: default-scheduler").
  const recorder = tools.recorder(schedulerName);
  const reporter = new PlacementReporter(client, recorder, (key) => pods.get(key), schedulerName, { concurrency: options.statusWriters });
  const scheduler = new Scheduler(
    (pod, node, signal) => client.resource(kinds.Pod).bind(pod, node, { signal }),
    reporter,
    { ...options, place: { strategy: settings.placementStrategy, ...options.place } },
  );

  pods.addHandler({
    onAdd: (pod) => scheduler.podChanged(pod),
    onUpdate: (_old, pod) => {
      scheduler.podChanged(pod);
      reporter.podChanged(pod);
    },
    onDelete: (pod) => {
      scheduler.podDeleted(pod);
      reporter.podChanged(pod);
    },
  });
  nodes.addHandler({
    onAdd: (node: Node) => scheduler.nodeChanged(undefined, node),
    onUpdate: (old: Node, node: Node) => scheduler.nodeChanged(old, node),
    onDelete: (node: Node) => scheduler.nodeDeleted(node),
  });
  namespaces.addHandler({
    onAdd: (namespace: Namespace) => scheduler.namespaceChanged(namespace),
    onUpdate: (_old: Namespace, namespace: Namespace) => scheduler.namespaceChanged(namespace),
    onDelete: (namespace: Namespace) => scheduler.namespaceDeleted(namespace),
  });

  return {
    name: 'placement',
    for: kinds.Pod,
    // Nodes and namespaces feed only the snapshot; listed so the loop starts once they synced.
    watches: [
      { kind: kinds.Node, map: () => [] },
      { kind: kinds.Namespace, map: () => [] },
    ],
    workers: 2,
    reconciler: {
      async reconcile(_ctx, key) {
        scheduler.sync(key, pods.get(key));
      },
    },
    async run(_queue, signal) {
      await scheduler.run(signal);
      await reporter.flush();
    },
  };
}
