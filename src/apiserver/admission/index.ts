/**
 * The admission chain every write passes: each plugin may mutate (defaulting), then every plugin
 * validates and all causes are reported together.
 *
 *   mutate:   schema defaults (any object) ─► shape check ─► kind defaults, server lifecycle
 *   validate: schema validation (any object) ─► if the shape holds: metadata, then each kind's rules
 *
 * Plugins that are not `anyShape` see only objects of their kind's shape (right types, required
 * fields present), so they can read them through the typed views; an object that is not of that
 * shape is rejected by the schema validation with the paths of what is wrong.
 *
 * On update, kind plugins compare with the stored object defaulted as the new one is, and a
 * problem the stored object already had is not held against the update (upstream's validation
 * ratcheting): objects written before a rule existed can still be changed and deleted.
 */
import type { Cause } from '../../api/errors';
import type { Obj } from '../../api/object';
import { clone } from '../../util/json';
import type { Registry } from '../registry';
import type { Admission, AdmissionRequest } from './admission';
import { defaultTolerationSeconds } from './default-toleration-seconds';
import { daemonSetDefaults, deploymentDefaults, replicaSetDefaults, statefulSetDefaults } from './defaults-apps';
import { cronJobDefaults, jobDefaults } from './defaults-batch';
import { endpointsDefaults, namespaceDefaults, nodeDefaults, replicationControllerDefaults, secretDefaults } from './defaults-core';
import { endpointSliceDefaults } from './defaults-network';
import { podDefaults } from './defaults-pod';
import { limitRangeDefaults, podDisruptionBudgetDefaults } from './defaults-policy';
import { serviceDefaults } from './defaults-service';
import { persistentVolumeClaimDefaults, persistentVolumeDefaults } from './defaults-storage';
import { lifecycleDefaults } from './lifecycle-defaults';
import { objectMetadata } from './object-metadata';
import { podPriority } from './pod-priority';
import { schemaDefaults } from './schema-defaults';
import { breaksShape, schemaCauses, schemaValidation } from './schema-validation';
import { deploymentValidation, replicaSetValidation } from './validate-apps';
import { cronJobValidation, jobValidation } from './validate-batch';
import { namespaceValidation, nodeValidation } from './validate-cluster';
import { configMapValidation, secretValidation } from './validate-config';
import { crdValidation } from './validate-crd';
import { daemonSetValidation } from './validate-daemonset';
import { eventValidation } from './validate-event';
import { leaseValidation } from './validate-lease';
import { endpointSliceValidation, ingressValidation } from './validate-network';
import { podValidation } from './validate-pod';
import { limitRangeValidation, podDisruptionBudgetValidation, resourceQuotaValidation } from './validate-policy';
import { clusterRoleBindingValidation, clusterRoleValidation, roleBindingValidation, roleValidation } from './validate-rbac';
import { replicationControllerValidation } from './validate-replication-controller';
import { endpointsValidation, serviceValidation } from './validate-service';
import { statefulSetValidation } from './validate-statefulset';
import { persistentVolumeClaimValidation, persistentVolumeValidation } from './validate-storage';

export interface AdmissionPlugin {
  name: string;
  /** Sees objects of any shape (the schema plugins); others see only objects of their kind's shape. */
  anyShape?: boolean;
  mutate?(obj: Obj, request: AdmissionRequest): void;
  validate?(obj: Obj, request: AdmissionRequest): Cause[];
}

export function chain(plugins: AdmissionPlugin[]): Admission {
  const general = plugins.filter((p) => p.anyShape);
  const typed = plugins.filter((p) => !p.anyShape);

  const mutate = (obj: Obj, request: AdmissionRequest): void => {
    for (const p of general) p.mutate?.(obj, request);
    if (!hasShape(obj, request)) return;
    for (const p of typed) p.mutate?.(obj, request);
  };

  const validate = (obj: Obj, request: AdmissionRequest): Cause[] => {
    const causes = general.flatMap((p) => p.validate?.(obj, request) ?? []);
    if (breaksShape(causes)) return causes;
    return [...causes, ...typed.flatMap((p) => p.validate?.(obj, request) ?? [])];
  };

  return {
    mutate,
    validate(obj, request) {
      const old = request.old && defaulted(request.old, request, mutate);
      const causes = simplified(validate(obj, { ...request, old }));
      if (!old || causes.length === 0) return causes;
      const before = new Set(validate(old, { ...request, operation: 'CREATE', old: undefined }).map(identity));
      return causes.filter((c) => !before.has(identity(c)));
    },
  };
}

/** Whether an object has its kind's shape: the types its typed view promises. */
function hasShape(obj: Obj, request: AdmissionRequest): boolean {
  return !breaksShape(schemaCauses(obj, request.type.decl.schema));
}

/** The stored object with the defaults the new one got, so unchanged fields compare equal. */
function defaulted(old: Obj, request: AdmissionRequest, mutate: (obj: Obj, request: AdmissionRequest) => void): Obj {
  const copy = clone(old);
  mutate(copy, { ...request, old });
  return copy;
}

const identity = (c: Cause): string => `${c.reason}\u0000${c.field}\u0000${c.message}`;

/**
 * Two plugins may find the same problem: a CRD's name, or a repeated list item, which the schema
 * reports as the whole item and a kind's rules as the field that must be unique
 * (`spec.volumes[1].name: Duplicate value: "data"`). Each is reported once, the precise way.
 */
function simplified(causes: Cause[]): Cause[] {
  const seen = new Set<string>();
  const kept: Cause[] = [];
  for (const cause of causes) {
    const id = identity(cause);
    if (seen.has(id) || (cause.reason === 'FieldValueDuplicate' && causes.some((c) => isUniquenessOfPart(c, cause.field)))) continue;
    seen.add(id);
    kept.push(cause);
  }
  return kept;
}

const isUniquenessOfPart = (cause: Cause, item: string): boolean =>
  cause.field.startsWith(`${item}.`) && (cause.reason === 'FieldValueDuplicate' || cause.message.endsWith('must be unique'));

/** Every plugin, in the order upstream applies the same steps: defaults, admission, validation. */
export function defaultAdmission(_registry: Registry): Admission {
  return chain([
    schemaDefaults,
    schemaValidation,
    podDefaults,
    deploymentDefaults,
    replicaSetDefaults,
    daemonSetDefaults,
    statefulSetDefaults,
    replicationControllerDefaults,
    persistentVolumeClaimDefaults,
    persistentVolumeDefaults,
    endpointSliceDefaults,
    jobDefaults,
    cronJobDefaults,
    serviceDefaults,
    secretDefaults,
    endpointsDefaults,
    nodeDefaults,
    namespaceDefaults,
    podDisruptionBudgetDefaults,
    limitRangeDefaults,
    lifecycleDefaults,
    defaultTolerationSeconds,
    podPriority,
    objectMetadata,
    podValidation,
    deploymentValidation,
    replicaSetValidation,
    daemonSetValidation,
    statefulSetValidation,
    replicationControllerValidation,
    persistentVolumeClaimValidation,
    persistentVolumeValidation,
    ingressValidation,
    endpointSliceValidation,
    jobValidation,
    cronJobValidation,
    serviceValidation,
    endpointsValidation,
    configMapValidation,
    secretValidation,
    namespaceValidation,
    nodeValidation,
    eventValidation,
    leaseValidation,
    podDisruptionBudgetValidation,
    resourceQuotaValidation,
    limitRangeValidation,
    crdValidation,
    roleValidation,
    clusterRoleValidation,
    roleBindingValidation,
    clusterRoleBindingValidation,
  ]);
}
