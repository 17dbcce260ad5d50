/**
 * The review kinds (authorization.k8s.io/v1 and authentication.k8s.io/v1): questions a client
 * asks the server about itself or another user. Created, answered at once, never stored.
 */
import * as t from 'io-ts';
import { described, mapOf, preserveUnknown, struct } from '../codecs';
import { resource } from './meta';

export const ResourceAttributes = struct(
  'ResourceAttributes',
  {},
  {
    namespace: described(t.string, 'The namespace of the action; empty means all namespaces for namespaced resources.'),
    verb: described(t.string, 'A Kubernetes resource API verb: get, list, watch, create, update, delete, proxy; "*" means all.'),
    group: described(t.string, 'The API group of the resource; "*" means all.'),
    version: described(t.string, 'The API version of the resource; "*" means all.'),
    resource: described(t.string, 'One of the existing resource types; "*" means all.'),
    subresource: described(t.string, 'One of the existing subresources; "" means none.'),
    name: described(t.string, 'The name of the resource being requested for a get or deleted for a delete; "" means all.'),
    fieldSelector: described(preserveUnknown, 'The field selector of a list or watch, as it would be authorized.'),
    labelSelector: described(preserveUnknown, 'The label selector of a list or watch, as it would be authorized.'),
  },
);

export const NonResourceAttributes = struct(
  'NonResourceAttributes',
  {},
  {
    path: described(t.string, 'The URL path of the request.'),
    verb: described(t.string, 'The standard HTTP verb.'),
  },
);

const attributes = {
  resourceAttributes: described(ResourceAttributes, 'Information for a resource access request.'),
  nonResourceAttributes: described(NonResourceAttributes, 'Information for a non-resource access request.'),
};

export const SelfSubjectAccessReviewSpec = struct('SelfSubjectAccessReviewSpec', {}, attributes);

export const SubjectAccessReviewSpec = struct(
  'SubjectAccessReviewSpec',
  {},
  {
    ...attributes,
    user: described(t.string, 'The user to test for.'),
    groups: described(t.array(t.string), 'The groups to test for.'),
    extra: described(mapOf(t.array(t.string)), "The authenticator's extra information about the user."),
    uid: described(t.string, 'The UID of the user to test for.'),
  },
);
export type SubjectAccessReviewSpec = t.TypeOf<typeof SubjectAccessReviewSpec>;

export const SelfSubjectRulesReviewSpec = struct('SelfSubjectRulesReviewSpec', {}, { namespace: described(t.string, 'The namespace to list rules for.') });

/** The status a review answers with: set by the server, whatever the request carried. */
const answered = { status: described(preserveUnknown, 'What the server answered.') };

export const SelfSubjectAccessReview = resource(
  'authorization.k8s.io/v1',
  'SelfSubjectAccessReview',
  'Checks whether the current user can perform an action.',
  { spec: described(SelfSubjectAccessReviewSpec, 'The action being checked.') },
  answered,
);

export const SubjectAccessReview = resource(
  'authorization.k8s.io/v1',
  'SubjectAccessReview',
  'Checks whether a user or group can perform an action.',
  { spec: described(SubjectAccessReviewSpec, 'The action and the user being checked.') },
  answered,
);

export const LocalSubjectAccessReview = resource(
  'authorization.k8s.io/v1',
  'LocalSubjectAccessReview',
  'Checks whether a user or group can perform an action in a given namespace.',
  { spec: described(SubjectAccessReviewSpec, 'The action and the user being checked; the namespace must be the review\'s.') },
  answered,
);

export const SelfSubjectRulesReview = resource(
  'authorization.k8s.io/v1',
  'SelfSubjectRulesReview',
  'Lists the actions the current user can perform within a namespace.',
  { spec: described(SelfSubjectRulesReviewSpec, 'The namespace to list rules for.') },
  answered,
);

export const SelfSubjectReview = resource('authentication.k8s.io/v1', 'SelfSubjectReview', 'Tells the current user who the server takes it to be.', {}, answered);
