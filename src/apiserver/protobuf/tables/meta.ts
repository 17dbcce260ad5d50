/**
 * apimachinery `pkg/apis/meta/v1/generated.proto` (package `meta`): the metadata every object
 * carries, label selectors, conditions and DeleteOptions. Time, MicroTime, FieldsV1, Quantity,
 * IntOrString and RawExtension are special types of the decoder, not tables.
 */
import type { PackageTables } from '../schema';

export const meta: PackageTables = {
  ObjectMeta: [
    'string name = 1',
    'string generateName = 2',
    'string namespace = 3',
    'string selfLink = 4',
    'string uid = 5',
    'string resourceVersion = 6',
    'int64 generation = 7',
    'Time creationTimestamp = 8',
    'Time deletionTimestamp = 9',
    'optional int64 deletionGracePeriodSeconds = 10',
    'map<string, string> labels = 11',
    'map<string, string> annotations = 12',
    'repeated OwnerReference ownerReferences = 13',
    'repeated string finalizers = 14',
    'repeated ManagedFieldsEntry managedFields = 17',
  ],
  OwnerReference: [
    'optional string apiVersion = 5',
    'optional string kind = 1',
    'optional string name = 3',
    'optional string uid = 4',
    'optional bool controller = 6',
    'optional bool blockOwnerDeletion = 7',
  ],
  ManagedFieldsEntry: [
    'string manager = 1',
    'string operation = 2',
    'string apiVersion = 3',
    'Time time = 4',
    'string fieldsType = 6',
    'FieldsV1 fieldsV1 = 7',
    'string subresource = 8',
  ],
  LabelSelector: ['map<string, string> matchLabels = 1', 'repeated LabelSelectorRequirement matchExpressions = 2'],
  LabelSelectorRequirement: ['optional string key = 1', 'optional string operator = 2', 'repeated string values = 3'],
  Condition: [
    'optional string type = 1',
    'optional string status = 2',
    'int64 observedGeneration = 3',
    'Time lastTransitionTime = 4',
    'optional string reason = 5',
    'optional string message = 6',
  ],
  DeleteOptions: [
    'optional int64 gracePeriodSeconds = 1',
    'Preconditions preconditions = 2',
    'optional bool orphanDependents = 3',
    'optional string propagationPolicy = 4',
    'repeated string dryRun = 5',
    'optional bool ignoreStoreReadErrorWithClusterBreakingPotential = 6',
  ],
  Preconditions: ['optional string uid = 1', 'optional string resourceVersion = 2'],
};
