/** core/v1 ServiceAccount, ResourceQuota and LimitRange: who a pod runs as, and what a namespace may use. */
import * as t from 'io-ts';
import { atomicList, described, mergeList, struct } from '../codecs';
import { resourceList } from '../scalars';
import { LocalObjectReference, ObjectReference } from './core-common';
import { resource } from './meta';

export const ServiceAccount = resource(
  'v1',
  'ServiceAccount',
  'ServiceAccount binds together a name understood by users and systems, secrets and image pull secrets.',
  {},
  {
    secrets: described(mergeList(ObjectReference, 'name'), 'Secrets pods running as this account may use (legacy token secrets).'),
    imagePullSecrets: described(atomicList(LocalObjectReference), 'Secrets used to pull the images of pods running as this account.'),
    automountServiceAccountToken: described(t.boolean, "Whether pods running as this account get a token mounted; a pod's own setting wins."),
  },
);
export type ServiceAccount = t.TypeOf<typeof ServiceAccount>;

/** The scopes a quota may be restricted to (upstream's ResourceQuotaScope). */
export const RESOURCE_QUOTA_SCOPES = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity', 'VolumeAttributesClass'] as const;

export const ScopedResourceSelectorRequirement = struct(
  'ScopedResourceSelectorRequirement',
  {
    scopeName: described(t.string, 'The name of the scope the selector applies to.'),
    operator: described(t.string, "The scope's relationship to the values: In, NotIn, Exists or DoesNotExist."),
  },
  { values: described(atomicList(t.string), 'Non-empty for In and NotIn, empty for Exists and DoesNotExist.') },
);
export type ScopedResourceSelectorRequirement = t.TypeOf<typeof ScopedResourceSelectorRequirement>;

export const ScopeSelector = struct(
  'ScopeSelector',
  {},
  { matchExpressions: described(atomicList(ScopedResourceSelectorRequirement), 'Requirements by scope of the resources, all ANDed.') },
);
export type ScopeSelector = t.TypeOf<typeof ScopeSelector>;

export const ResourceQuotaSpec = struct(
  'ResourceQuotaSpec',
  {},
  {
    hard: described(resourceList, 'The hard limit for each named resource.'),
    scopes: described(atomicList(t.string), 'Filters the objects the quota counts; all must match.'),
    scopeSelector: described(ScopeSelector, 'A finer filter of the objects the quota counts, by scope.'),
  },
);
export type ResourceQuotaSpec = t.TypeOf<typeof ResourceQuotaSpec>;

export const ResourceQuotaStatus = struct(
  'ResourceQuotaStatus',
  {},
  {
    hard: described(resourceList, 'The hard limits the quota enforces.'),
    used: described(resourceList, 'The current use of each resource in the namespace.'),
  },
);
export type ResourceQuotaStatus = t.TypeOf<typeof ResourceQuotaStatus>;

export const ResourceQuota = resource(
  'v1',
  'ResourceQuota',
  'ResourceQuota sets aggregate quota restrictions enforced per namespace.',
  {},
  {
    spec: described(ResourceQuotaSpec, 'The desired quota.'),
    status: described(ResourceQuotaStatus, 'The enforced quota and its current use.'),
  },
);
export type ResourceQuota = t.TypeOf<typeof ResourceQuota>;

/** The kinds of object a LimitRange item constrains (upstream's LimitType). */
export const LIMIT_TYPES = ['Pod', 'Container', 'PersistentVolumeClaim'] as const;

export const LimitRangeItem = struct(
  'LimitRangeItem',
  { type: described(t.string, 'The kind of object the limits apply to: Pod, Container or PersistentVolumeClaim.') },
  {
    max: described(resourceList, 'The most of each resource one object may use.'),
    min: described(resourceList, 'The least of each resource one object must ask for.'),
    default: described(resourceList, 'The limit a container gets for a resource when it names none.'),
    defaultRequest: described(resourceList, 'The request a container gets for a resource when it names none.'),
    maxLimitRequestRatio: described(resourceList, 'The most a limit may exceed the request, as limit divided by request.'),
  },
);
export type LimitRangeItem = t.TypeOf<typeof LimitRangeItem>;

export const LimitRangeSpec = struct(
  'LimitRangeSpec',
  { limits: described(atomicList(LimitRangeItem), 'The limits, one item per type.') },
);
export type LimitRangeSpec = t.TypeOf<typeof LimitRangeSpec>;

export const LimitRange = resource(
  'v1',
  'LimitRange',
  'LimitRange sets resource usage limits for each kind of object in a namespace.',
  {},
  { spec: described(LimitRangeSpec, 'The limits enforced.') },
);
export type LimitRange = t.TypeOf<typeof LimitRange>;
