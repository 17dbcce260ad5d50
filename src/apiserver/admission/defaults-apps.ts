/**
 * apps/v1 defaults, as upstream's `pkg/apis/apps/v1/defaults.go`: Deployment, ReplicaSet,
 * DaemonSet and StatefulSet.
 */
import type { DaemonSet, Deployment, ReplicaSet, StatefulSet } from '../../api/types';
import { defaultPodTemplate } from './defaults-pod';
import { defaultClaim } from './defaults-storage';
import { onKind } from './kinds';

export const deploymentDefaults = onKind('deployment-defaults', 'apps', 'Deployment', {
  mutate(obj) {
    const spec = (obj as Deployment).spec;
    if (!spec) return;
    spec.replicas ??= 1;
    const strategy = (spec.strategy ??= {});
    if (!strategy.type) strategy.type = 'RollingUpdate';
    if (strategy.type === 'RollingUpdate') {
      const rolling = (strategy.rollingUpdate ??= {});
      rolling.maxUnavailable ??= '25%';
      rolling.maxSurge ??= '25%';
    }
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
    defaultPodTemplate(spec.template);
  },
});

export const replicaSetDefaults = onKind('replicaset-defaults', 'apps', 'ReplicaSet', {
  mutate(obj) {
    const spec = (obj as ReplicaSet).spec;
    if (!spec) return;
    spec.replicas ??= 1;
    defaultPodTemplate(spec.template);
  },
});

export const daemonSetDefaults = onKind('daemonset-defaults', 'apps', 'DaemonSet', {
  mutate(obj) {
    const spec = (obj as DaemonSet).spec;
    if (!spec) return;
    const strategy = (spec.updateStrategy ??= {});
    if (!strategy.type) strategy.type = 'RollingUpdate';
    if (strategy.type === 'RollingUpdate') {
      const rolling = (strategy.rollingUpdate ??= {});
      rolling.maxUnavailable ??= 1;
      rolling.maxSurge ??= 0;
    }
    spec.revisionHistoryLimit ??= 10;
    defaultPodTemplate(spec.template);
  },
});

export const statefulSetDefaults = onKind('statefulset-defaults', 'apps', 'StatefulSet', {
  mutate(obj) {
    const spec = (obj as StatefulSet).spec;
    if (!spec) return;
    spec.podManagementPolicy ??= 'OrderedReady';
    const strategy = (spec.updateStrategy ??= {});
    // A rollingUpdate (with partition 0) is added only where the type itself was defaulted.
    if (!strategy.type) {
      strategy.type = 'RollingUpdate';
      strategy.rollingUpdate ??= {};
    }
    if (strategy.type === 'RollingUpdate' && strategy.rollingUpdate) strategy.rollingUpdate.partition ??= 0;
    const retention = (spec.persistentVolumeClaimRetentionPolicy ??= {});
    if (!retention.whenDeleted) retention.whenDeleted = 'Retain';
    if (!retention.whenScaled) retention.whenScaled = 'Retain';
    spec.replicas ??= 1;
    spec.revisionHistoryLimit ??= 10;
    defaultPodTemplate(spec.template);
    for (const claim of spec.volumeClaimTemplates ?? []) defaultClaim(claim);
  },
});
