/** apiextensions.k8s.io/v1: CustomResourceDefinition. */
import { CustomResourceDefinition } from '../src/api/types';
import { declare } from './builtin';

/** Upstream has no printer for CRDs: its default table shows Name and the creation time itself (not an age). */
export const customResourceDefinitions = declare(CustomResourceDefinition, {
  plural: 'customresourcedefinitions',
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  scope: 'Cluster',
  printerColumns: [
    { name: 'Created At', type: 'string', format: 'date-time', jsonPath: '.metadata.creationTimestamp', description: 'When the definition was created.' },
  ],
});
