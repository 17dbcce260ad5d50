/**
 * CustomResourceDefinitions: everything `validateCustomResourceDefinition` checks (names, versions,
 * structural schemas, printer columns, scale), on every write of the definition itself; and the
 * scope, which decides where its objects are stored, never changes.
 */
import { validateCustomResourceDefinition } from '../../../crds';
import type { CustomResourceDefinition } from '../../api/types';
import { immutable } from './field-errors';
import { onKind } from './kinds';

export const crdValidation = onKind('crd-validation', 'apiextensions.k8s.io', 'CustomResourceDefinition', {
  validate(obj, { old, subresource }) {
    // Status writes (the server marking a definition Established) leave the definition as it was.
    if (subresource === 'status') return [];
    const causes = validateCustomResourceDefinition(obj);
    const previous = old as CustomResourceDefinition | undefined;
    if (previous && causes.length === 0) {
      const scope = (obj as CustomResourceDefinition).spec.scope;
      causes.push(...immutable(scope, previous.spec.scope, 'spec.scope', (a, b) => a === b));
    }
    return causes;
  },
});
