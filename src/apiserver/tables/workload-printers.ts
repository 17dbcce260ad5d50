/**
 * `kubectl get deployments, replicasets, daemonsets, statefulsets, replicationcontrollers, jobs,
 * cronjobs`, cell for cell as upstream's `printDeployment`, `printReplicaSet`, `printDaemonSet`,
 * `printStatefulSet`, `printReplicationController`, `printJob` and `printCronJob`. The server
 * always computes the wide cells; kubectl hides priority-1 columns unless asked for `-o wide`.
 */
import type { Obj } from '../../api/object';
import type { CronJob, DaemonSet, Deployment, Job, ReplicaSet, ReplicationController, StatefulSet } from '../../api/types';
import { humanDuration } from '../../util/duration';
import {
  ageColumn,
  boolCell,
  column,
  conditionStatus,
  containerCells,
  formatLabels,
  formatLabelSelector,
  nameColumn,
  objectAge,
  selectorString,
  since,
  templateColumns,
} from './cells';
import type { Printer } from './table';

const selectorDescription = 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.';

export const deploymentPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', 'string', 'Number of the pod with ready state'),
    column('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    column('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageColumn,
    ...templateColumns(selectorDescription),
  ],
  cells(object: Obj, now: number): unknown[] {
    const d = object as unknown as Deployment;
    const [names, images] = containerCells(d.spec?.template?.spec?.containers);
    return [
      d.metadata.name,
      `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`,
      d.status?.updatedReplicas ?? 0,
      d.status?.availableReplicas ?? 0,
      objectAge(object, now),
      names,
      images,
      selectorString(d.spec?.selector),
    ];
  },
};

/** ReplicaSets and ReplicationControllers print alike; only the form of their selectors differs. */
function replicasPrinter<T extends ReplicaSet | ReplicationController>(what: string, selectorHelp: string, selector: (o: T) => string): Printer {
  return {
    columns: [
      nameColumn,
      column('Desired', 'integer', 'Replicas is the number of desired replicas.'),
      column('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
      column('Ready', 'integer', `The number of ready replicas for this ${what}.`),
      ageColumn,
      ...templateColumns(selectorHelp),
    ],
    cells(object: Obj, now: number): unknown[] {
      const o = object as unknown as T;
      const [names, images] = containerCells(o.spec?.template?.spec?.containers);
      return [o.metadata.name, o.spec?.replicas ?? 0, o.status?.replicas ?? 0, o.status?.readyReplicas ?? 0, objectAge(object, now), names, images, selector(o)];
    },
  };
}

export const replicaSetPrinter = replicasPrinter<ReplicaSet>('replica set', 'Selector is a label query over pods that should match the replica count.', (rs) => formatLabelSelector(rs.spec?.selector));

export const replicationControllerPrinter = replicasPrinter<ReplicationController>(
  'replication controller',
  'Selector is a label query over pods that should match the Replicas count.',
  (rc) => formatLabels(rc.spec?.selector),
);

export const daemonSetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Desired', 'integer', 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).'),
    column('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.'),
    column('Ready', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.'),
    column('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
    column('Available', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.'),
    column('Node Selector', 'string', "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node."),
    ageColumn,
    ...templateColumns('A label query over pods that are managed by the daemon set.'),
  ],
  cells(object: Obj, now: number): unknown[] {
    const ds = object as unknown as DaemonSet;
    const status = ds.status;
    const [names, images] = containerCells(ds.spec?.template?.spec?.containers);
    return [
      ds.metadata.name,
      status?.desiredNumberScheduled ?? 0,
      status?.currentNumberScheduled ?? 0,
      status?.numberReady ?? 0,
      status?.updatedNumberScheduled ?? 0,
      status?.numberAvailable ?? 0,
      formatLabels(ds.spec?.template?.spec?.nodeSelector),
      objectAge(object, now),
      names,
      images,
      formatLabelSelector(ds.spec?.selector),
    ];
  },
};

/** READY is ready/desired; there is no Selector column, as upstream. */
export const statefulSetPrinter: Printer = {
  columns: [nameColumn, column('Ready', 'string', 'Number of the pod with ready state'), ageColumn, ...templateColumns('').slice(0, 2)],
  cells(object: Obj, now: number): unknown[] {
    const sts = object as unknown as StatefulSet;
    const [names, images] = containerCells(sts.spec?.template?.spec?.containers);
    return [sts.metadata.name, `${sts.status?.readyReplicas ?? 0}/${sts.spec?.replicas ?? 0}`, objectAge(object, now), names, images];
  },
};

export const jobPrinter: Printer = {
  columns: [
    nameColumn,
    column('Status', 'string', 'Status of the job.'),
    column('Completions', 'string', 'The number of pods which reached phase Succeeded.'),
    column('Duration', 'string', 'Time required to complete the job.'),
    ageColumn,
    ...templateColumns('A label query over pods that should match the pod count.'),
  ],
  cells(object: Obj, now: number): unknown[] {
    const job = object as unknown as Job;
    const [names, images] = containerCells(job.spec?.template?.spec?.containers);
    return [job.metadata.name, jobStatus(job), jobCompletions(job), jobDuration(job, now), objectAge(object, now), names, images, formatLabelSelector(job.spec?.selector)];
  },
};

/** Complete, Failed, Terminating, Suspended, FailureTarget or Running, in upstream's order. */
export function jobStatus(job: Job): string {
  const is = (type: string) => conditionStatus(job.status?.conditions, type) === 'True';
  if (is('Complete')) return 'Complete';
  if (is('Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (is('Suspended')) return 'Suspended';
  if (is('FailureTarget')) return 'FailureTarget';
  return 'Running';
}

/** `succeeded/completions`; without completions `n/1`, or `n/1 of p` when several run in parallel. */
export function jobCompletions(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  if (job.spec?.completions !== undefined && job.spec.completions !== null) return `${succeeded}/${job.spec.completions}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** Empty before it starts; the time since it started while it runs; start to completion after. */
export function jobDuration(job: Job, now: number): string {
  const start = job.status?.startTime;
  if (!start) return '';
  const completion = job.status?.completionTime;
  if (!completion) return since(start, now);
  return humanDuration(Date.parse(completion) - Date.parse(start));
}

export const cronJobPrinter: Printer = {
  columns: [
    nameColumn,
    column('Schedule', 'string', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    column('Timezone', 'string', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.'),
    column('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.'),
    column('Active', 'integer', 'A list of pointers to currently running jobs.'),
    column('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
    ageColumn,
    ...templateColumns('A label query over pods that should match the pod count.'),
  ],
  cells(object: Obj, now: number): unknown[] {
    const cj = object as unknown as CronJob;
    const template = cj.spec?.jobTemplate?.spec;
    const [names, images] = containerCells(template?.template?.spec?.containers);
    const last = cj.status?.lastScheduleTime;
    return [
      cj.metadata.name,
      cj.spec?.schedule ?? '',
      cj.spec?.timeZone ?? '<none>',
      boolCell(cj.spec?.suspend ?? undefined),
      (cj.status?.active ?? []).length,
      last ? since(last, now) : '<none>',
      objectAge(object, now),
      names,
      images,
      formatLabelSelector(template?.selector),
    ];
  },
};
