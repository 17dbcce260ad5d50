/** apps/v1 defaults, as upstream's `pkg/apis/apps/v1/defaults.go`: Deployment and ReplicaSet. */
import type { Deployment, ReplicaSet } from '../../api/types';
import { defaultPodTemplate } from './defaults-pod';
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
