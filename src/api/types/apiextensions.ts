/** apiextensions.k8s.io/v1 CustomResourceDefinition: how users add kinds. */
import * as t from 'io-ts';
import { atomicList, described, enumOf, mapList, opaqueObject, preserveUnknown, struct } from '../codecs';
import type { JsonSchema } from '../schema';
import { base64, int32, time } from '../scalars';
import { ConditionStatus } from './core-common';
import { resource } from './meta';

export const CustomResourceDefinitionNames = struct(
  'CustomResourceDefinitionNames',
  {
    plural: described(t.string, 'The plural name of the resource, lowercase: the last path segment of /apis/<group>/<version>/<plural>.'),
    kind: described(t.string, 'The serialized kind of the resource, CamelCase and singular.'),
  },
  {
    singular: described(t.string, 'The singular name of the resource, lowercase. Defaults to the lowercased kind.'),
    shortNames: described(atomicList(t.string), 'Short names for the resource in kubectl, lowercase.'),
    listKind: described(t.string, 'The kind of the list. Defaults to <kind>List.'),
    categories: described(atomicList(t.string), 'Grouped resources this one belongs to, e.g. all.'),
  },
);
export type CustomResourceDefinitionNames = t.TypeOf<typeof CustomResourceDefinitionNames>;

export const CustomResourceSubresourceScale = struct(
  'CustomResourceSubresourceScale',
  {
    specReplicasPath: described(t.string, 'JSON path to the desired replicas, under .spec.'),
    statusReplicasPath: described(t.string, 'JSON path to the observed replicas, under .status.'),
  },
  { labelSelectorPath: described(t.string, 'JSON path to a label selector string, under .status or .spec.') },
);

export const CustomResourceSubresources = struct(
  'CustomResourceSubresources',
  {},
  {
    status: described(preserveUnknown, 'An empty object enables the /status subresource.'),
    scale: described(CustomResourceSubresourceScale, 'Enables the /scale subresource.'),
  },
);

export const CustomResourceColumnDefinition = struct(
  'CustomResourceColumnDefinition',
  {
    name: described(t.string, 'Human readable column name.'),
    type: described(t.string, 'integer, number, string, boolean or date.'),
    jsonPath: described(t.string, 'A simple JSON path evaluated against each object.'),
  },
  {
    format: described(t.string, 'An optional OpenAPI format for the column.'),
    description: described(t.string, 'Human readable description of the column.'),
    priority: described(int32, '0 shows the column always; greater only with -o wide.'),
  },
);
export type CustomResourceColumnDefinition = t.TypeOf<typeof CustomResourceColumnDefinition>;

export const CustomResourceDefinitionVersion = struct(
  'CustomResourceDefinitionVersion',
  {
    name: described(t.string, 'The version name, e.g. v1 or v2beta1.'),
    served: described(t.boolean, 'Whether this version is served by the REST API.'),
    storage: described(t.boolean, 'Whether objects are stored at this version; exactly one version is.'),
  },
  {
    deprecated: described(t.boolean, 'Whether this version is deprecated.'),
    deprecationWarning: described(t.string, 'Warning returned to clients of a deprecated version.'),
    schema: described(
      struct('CustomResourceValidation', {}, { openAPIV3Schema: opaqueObject<JsonSchema>('JSONSchemaProps', 'The structural schema of the resource.') }),
      'The schema used for validation, pruning and defaulting of this version.',
    ),
    subresources: described(CustomResourceSubresources, 'The subresources of this version.'),
    additionalPrinterColumns: described(atomicList(CustomResourceColumnDefinition), 'Columns shown by kubectl get.'),
    selectableFields: described(atomicList(struct('SelectableField', { jsonPath: t.string })), 'Fields that may be used as field selectors.'),
  },
);
export type CustomResourceDefinitionVersion = t.TypeOf<typeof CustomResourceDefinitionVersion>;

export const CustomResourceConversion = struct(
  'CustomResourceConversion',
  { strategy: described(enumOf('ConversionStrategyType', ['None', 'Webhook']), 'None or Webhook.') },
  {
    webhook: described(
      struct(
        'WebhookConversion',
        { conversionReviewVersions: atomicList(t.string) },
        {
          clientConfig: struct(
            'WebhookClientConfig',
            {},
            {
              url: t.string,
              service: struct('ServiceReference', { namespace: t.string, name: t.string }, { path: t.string, port: int32 }),
              caBundle: base64,
            },
          ),
        },
      ),
      'How to call the conversion webhook; berth serves only None.',
    ),
  },
);

export const CustomResourceDefinitionSpec = struct(
  'CustomResourceDefinitionSpec',
  {
    group: described(t.string, 'The API group of the resources, e.g. example.com.'),
    names: described(CustomResourceDefinitionNames, 'The resource and kind names.'),
    scope: described(enumOf('ResourceScope', ['Cluster', 'Namespaced']), 'Cluster or Namespaced.'),
    versions: described(atomicList(CustomResourceDefinitionVersion), 'The served versions, exactly one of them stored.'),
  },
  {
    conversion: described(CustomResourceConversion, 'How objects convert between versions.'),
    preserveUnknownFields: described(t.boolean, 'Deprecated; must be false for pruning.'),
  },
);
export type CustomResourceDefinitionSpec = t.TypeOf<typeof CustomResourceDefinitionSpec>;

export const CustomResourceDefinitionCondition = struct(
  'CustomResourceDefinitionCondition',
  { type: described(t.string, 'Established, NamesAccepted or Terminating.'), status: ConditionStatus },
  { lastTransitionTime: time, reason: t.string, message: t.string },
);

export const CustomResourceDefinitionStatus = struct(
  'CustomResourceDefinitionStatus',
  {},
  {
    conditions: described(mapList(CustomResourceDefinitionCondition, ['type']), 'The state of the definition.'),
    acceptedNames: described(CustomResourceDefinitionNames, 'The names actually served.'),
    storedVersions: described(atomicList(t.string), 'Versions objects have ever been stored at.'),
  },
);

export const CustomResourceDefinition = resource(
  'apiextensions.k8s.io/v1',
  'CustomResourceDefinition',
  'CustomResourceDefinition declares a new kind to serve; its name must be <plural>.<group>.',
  { spec: described(CustomResourceDefinitionSpec, 'The kind and how it is served.') },
  { status: described(CustomResourceDefinitionStatus, 'The served state of the definition.') },
);
export type CustomResourceDefinition = t.TypeOf<typeof CustomResourceDefinition>;
