/** apps/v1: ReplicaSet and Deployment, both scalable. */
import { Deployment, ReplicaSet } from '../src/api/types';
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
