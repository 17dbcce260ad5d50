/**
 * Defaults of the smaller core kinds, as upstream's `pkg/apis/core/v1/defaults.go` (and, for a
 * Secret's stringData, its conversion) set them: Secret, Endpoints, Node, Namespace,
 * ReplicationController.
 */
import type { Endpoints, Namespace, Node, ReplicationController, Secret } from '../../api/types';
import { defaultPodTemplate } from './defaults-pod';
import { onKind } from './kinds';

/** The label every namespace carries with its own name, so selectors can pick namespaces by name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export const secretDefaults = onKind('secret-defaults', '', 'Secret', {
  mutate(obj) {
    const secret = obj as Secret;
    if (!secret.type) secret.type = 'Opaque';
    // stringData is write-only: it is merged into data (winning over the same key) and never stored.
    if (secret.stringData) {
      const data = (secret.data ??= {});
      for (const [name, value] of Object.entries(secret.stringData)) data[name] = Buffer.from(value, 'utf8').toString('base64');
      delete secret.stringData;
    }
  },
});

export const endpointsDefaults = onKind('endpoints-defaults', '', 'Endpoints', {
  mutate(obj) {
    for (const subset of (obj as Endpoints).subsets ?? []) {
      for (const port of subset.ports ?? []) if (!port.protocol) port.protocol = 'TCP';
    }
  },
});

export const nodeDefaults = onKind('node-defaults', '', 'Node', {
  mutate(obj) {
    const status = (obj as Node).status;
    if (status?.capacity && !status.allocatable) status.allocatable = { ...status.capacity };
  },
});

export const namespaceDefaults = onKind('namespace-defaults', '', 'Namespace', {
  mutate(obj) {
    const namespace = obj as Namespace;
    const name = namespace.metadata.name;
    if (name) namespace.metadata.labels = { ...namespace.metadata.labels, [NAMESPACE_NAME_LABEL]: name };
  },
});

/** The selector, and the controller's own labels when it has none, come from the template labels. */
export const replicationControllerDefaults = onKind('replicationcontroller-defaults', '', 'ReplicationController', {
  mutate(obj) {
    const rc = obj as ReplicationController;
    const spec = (rc.spec ??= {});
    const labels = spec.template?.metadata?.labels;
    if (labels) {
      if (Object.keys(spec.selector ?? {}).length === 0) spec.selector = { ...labels };
      if (Object.keys(rc.metadata.labels ?? {}).length === 0) rc.metadata.labels = { ...labels };
    }
    spec.replicas ??= 1;
    defaultPodTemplate(spec.template);
  },
});
