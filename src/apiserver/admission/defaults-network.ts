/**
 * discovery/v1 defaults, as upstream's `pkg/apis/discovery/v1/defaults.go`: each port of an
 * EndpointSlice is named (the empty name) and TCP unless it says otherwise. Ingress has none: its
 * pathType, defaulted in v1beta1, is required in v1.
 */
import type { EndpointSlice } from '../../api/types';
import { onKind } from './kinds';

export const endpointSliceDefaults = onKind('endpointslice-defaults', 'discovery.k8s.io', 'EndpointSlice', {
  mutate(obj) {
    for (const port of (obj as EndpointSlice).ports ?? []) {
      port.name ??= '';
      port.protocol ??= 'TCP';
    }
  },
});
