/** apps/v1: ReplicaSet, Deployment and StatefulSet (scalable), DaemonSet. */
import { DaemonSet, Deployment, ReplicaSet, StatefulSet } from '../src/api/types';
import { declare, replicasScale } from './builtin';
import { age, templateColumns } from './columns';

export const replicaSets = declare(ReplicaSet, {
  plural: 'replicasets',
  shortNames: ['rs'],
  categories: ['all'],
  scope: 'Namespaced',
  scale: replicasScale,
  printerColumns: [
    { name: 'Desired', type: 'integer', jsonPath: '.spec.replicas', description: 'Number of desired pods.' },
    { name: 'Current', type: 'integer', jsonPath: '.status.replicas', description: 'The most recently observed number of pods.' },
    { name: 'Ready', type: 'integer', jsonPath: '.status.readyReplicas', description: 'Pods that are ready.' },
    age,
    ...templateColumns('.spec.template', '.spec.selector'),
  ],
});

/** READY (ready/desired) is computed by the server. */
export const deployments = declare(Deployment, {
  plural: 'deployments',
  shortNames: ['deploy'],
  categories: ['all'],
  scope: 'Namespaced',
  scale: replicasScale,
  printerColumns: [
    { name: 'Ready', type: 'string', jsonPath: '.status.readyReplicas', description: 'Number of the pod with ready state' },
    { name: 'Up-to-date', type: 'integer', jsonPath: '.status.updatedReplicas', description: 'Pods that run the current template.' },
    { name: 'Available', type: 'integer', jsonPath: '.status.availableReplicas', description: 'Pods that have been ready for at least minReadySeconds.' },
    age,
    ...templateColumns('.spec.template', '.spec.selector'),
  ],
});

/** The Node Selector cell and the wide Selector are computed by the server. */
export const daemonSets = declare(DaemonSet, {
  plural: 'daemonsets',
  shortNames: ['ds'],
  categories: ['all'],
  scope: 'Namespaced',
  unmanaged: 'berth stores DaemonSets but no controller acts on them yet: no pods are created',
  printerColumns: [
    { name: 'Desired', type: 'integer', jsonPath: '.status.desiredNumberScheduled', description: 'Nodes that should run the daemon pod.' },
    { name: 'Current', type: 'integer', jsonPath: '.status.currentNumberScheduled', description: 'Nodes running at least one daemon pod that should run it.' },
    { name: 'Ready', type: 'integer', jsonPath: '.status.numberReady', description: 'Nodes that should run the daemon pod and run it ready.' },
    { name: 'Up-to-date', type: 'integer', jsonPath: '.status.updatedNumberScheduled', description: 'Nodes running the updated daemon pod.' },
    { name: 'Available', type: 'integer', jsonPath: '.status.numberAvailable', description: 'Nodes running the daemon pod available.' },
    { name: 'Node Selector', type: 'string', jsonPath: '.spec.template.spec.nodeSelector', description: 'Labels a node must have to run the daemon pod.' },
    age,
    ...templateColumns('.spec.template', '.spec.selector'),
  ],
});

/** READY (ready/desired) is computed by the server; there is no wide Selector, as upstream. */
export const statefulSets = declare(StatefulSet, {
  plural: 'statefulsets',
  shortNames: ['sts'],
  categories: ['all'],
  scope: 'Namespaced',
  scale: replicasScale,
  unmanaged: 'berth stores StatefulSets but no controller acts on them yet: no pods or claims are created',
  printerColumns: [
    { name: 'Ready', type: 'string', jsonPath: '.status.readyReplicas', description: 'Number of the pod with ready state' },
    age,
    ...templateColumns('.spec.template', '.spec.selector').slice(0, 2),
  ],
});
