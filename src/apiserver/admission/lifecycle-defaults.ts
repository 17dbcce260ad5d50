/**
 * What the server sets on objects whose lifecycle it drives: a namespace starts Active with the
 * `kubernetes` finalizer; a pod starts Pending; a persistent volume starts Pending, from its
 * creation; a CRD carries the cleanup finalizer so its objects are deleted before it goes.
 */
import type { AdmissionPlugin } from './index';

const crdCleanupFinalizer = 'customresourcecleanup.apiextensions.k8s.io';

export const lifecycleDefaults: AdmissionPlugin = {
  name: 'lifecycle-defaults',
  mutate(obj, { type, operation, subresource }) {
    if (operation !== 'CREATE' || subresource) return;
    const core = type.group === '';
    if (core && type.kind === 'Namespace') {
      const spec = (obj.spec ?? {}) as { finalizers?: string[] };
      if (!spec.finalizers) spec.finalizers = ['kubernetes'];
      obj.spec = spec;
      obj.status = { phase: 'Active' };
    } else if (core && type.kind === 'Pod') {
      const status = (obj.status ?? {}) as { phase?: string };
      if (!status.phase) status.phase = 'Pending';
      obj.status = status;
    } else if (core && type.kind === 'PersistentVolume') {
      obj.status = { phase: 'Pending', lastPhaseTransitionTime: obj.metadata.creationTimestamp };
    } else if (type.group === 'apiextensions.k8s.io' && type.kind === 'CustomResourceDefinition') {
      const finalizers = obj.metadata.finalizers ?? [];
      if (!finalizers.includes(crdCleanupFinalizer)) obj.metadata.finalizers = [...finalizers, crdCleanupFinalizer];
    }
  },
};
