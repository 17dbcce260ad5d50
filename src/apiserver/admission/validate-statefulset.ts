/**
 * apps/v1 StatefulSet (upstream's ValidateStatefulSet): the replicated-workload rules, a rolling
 * update's partition and maxUnavailable, the claim retention policy, non-negative counts, and on
 * update a spec whose only changing fields are the ones upstream lets change.
 */
import type { Cause } from '../../api/errors';
import type { PodTemplateSpec, StatefulSet, StatefulSetSpec, StatefulSetStatus, StatefulSetUpdateStrategy } from '../../api/types';
import { deepEqual } from '../../util/json';
import { child, forbidden, invalid, nonNegative, notSupported, required } from './field-errors';
import { onKind } from './kinds';
import { amount, intOrPercentCauses, intOrString, PERCENT, replicatedTemplateCauses } from './validate-apps';

/** The spec fields an update may change. */
const MUTABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];
const RETENTION_POLICIES = ['Retain', 'Delete'];

export const statefulSetValidation = onKind('statefulset-validation', 'apps', 'StatefulSet', {
  validate(obj, { operation, old, subresource }) {
    const statefulSet = obj as StatefulSet;
    if (subresource === 'status') return statefulSetStatusCauses(statefulSet.status);
    const spec = statefulSet.spec;
    if (!spec) return [required('spec')];
    const causes = [
      ...updateStrategyCauses(spec.updateStrategy ?? {}, 'spec.updateStrategy'),
      ...retentionCauses(spec, 'spec.persistentVolumeClaimRetentionPolicy'),
      ...nonNegative(spec.replicas, 'spec.replicas'),
      ...nonNegative(spec.ordinals?.start, 'spec.ordinals.start'),
      ...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'),
      ...replicatedTemplateCauses(spec.selector, withClaimVolumes(spec), 'spec', 'StatefulSet'),
    ];
    const previous = (old as StatefulSet | undefined)?.spec;
    if (operation === 'UPDATE' && previous) causes.push(...onlyMutableChanged(spec, previous));
    return causes;
  },
});

/**
 * The template as its pods will be: each claim template is a volume the containers may mount (a
 * template volume of the same name gives way to the claim).
 */
function withClaimVolumes(spec: StatefulSetSpec): PodTemplateSpec {
  const claims = (spec.volumeClaimTemplates ?? []).map((c) => c.metadata.name).filter((name): name is string => Boolean(name));
  const podSpec = spec.template.spec;
  if (claims.length === 0 || !podSpec) return spec.template;
  const volumes = (podSpec.volumes ?? []).filter((v) => !claims.includes(v.name));
  return { ...spec.template, spec: { ...podSpec, volumes: [...volumes, ...claims.map((name) => ({ name, emptyDir: {} }))] } };
}

function updateStrategyCauses(strategy: StatefulSetUpdateStrategy, path: string): Cause[] {
  const rolling = strategy.rollingUpdate;
  const at = child(path, 'rollingUpdate');
  if (strategy.type === 'OnDelete') return rolling ? [invalid(at, rolling, "only allowed for updateStrategy 'RollingUpdate'")] : [];
  if (strategy.type === undefined) return [required(path)];
  if (!rolling) return [];
  const causes = nonNegative(rolling.partition, child(at, 'partition'));
  const maxUnavailable = rolling.maxUnavailable;
  if (maxUnavailable !== undefined) {
    const field = child(at, 'maxUnavailable');
    causes.push(...intOrPercentCauses(maxUnavailable, field));
    if (amount(maxUnavailable) === 0) causes.push(invalid(field, intOrString(maxUnavailable), 'cannot be 0'));
    if (typeof maxUnavailable === 'string' && PERCENT.test(maxUnavailable) && amount(maxUnavailable) > 100) {
      causes.push(invalid(field, intOrString(maxUnavailable), 'must not be greater than 100%'));
    }
  }
  return causes;
}

function retentionCauses(spec: StatefulSetSpec, path: string): Cause[] {
  const policy = spec.persistentVolumeClaimRetentionPolicy;
  if (!policy) return [];
  return (['whenDeleted', 'whenScaled'] as const).flatMap((field) => {
    const value = policy[field];
    return value === undefined || RETENTION_POLICIES.includes(value) ? [] : [notSupported(child(path, field), value, RETENTION_POLICIES)];
  });
}

function onlyMutableChanged(spec: StatefulSetSpec, previous: StatefulSetSpec): Cause[] {
  const fixed = (s: StatefulSetSpec) => Object.fromEntries(Object.entries(s).filter(([field]) => !MUTABLE.includes(field)));
  if (deepEqual(fixed(spec), fixed(previous))) return [];
  return [
    forbidden(
      'spec',
      "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ),
  ];
}

function statefulSetStatusCauses(status: StatefulSetStatus | undefined): Cause[] {
  if (!status) return [];
  const fields = ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas', 'observedGeneration', 'collisionCount'] as const;
  const causes = fields.flatMap((field) => nonNegative(status[field], child('status', field)));
  for (const field of ['readyReplicas', 'currentReplicas', 'updatedReplicas'] as const) {
    const value = status[field] ?? 0;
    if (value > status.replicas) causes.push(invalid(child('status', field), value, 'cannot be greater than status.replicas'));
  }
  if ((status.availableReplicas ?? 0) > (status.readyReplicas ?? 0)) {
    causes.push(invalid('status.availableReplicas', status.availableReplicas, 'cannot be greater than status.readyReplicas'));
  }
  return causes;
}
