/**
 * The review kinds kubectl's `auth can-i` (authorization.k8s.io/v1) and `auth whoami`
 * (authentication.k8s.io/v1) send. Their statuses are the server's to write and are not read;
 * neither is SubjectAccessReviewSpec's `extra` (= 5), whose values berth does not use.
 */
import type { PackageTables } from '../schema';

const accessReview = ['meta.ObjectMeta metadata = 1', 'SubjectAccessReviewSpec spec = 2'];

export const authorization: PackageTables = {
  SelfSubjectAccessReview: ['meta.ObjectMeta metadata = 1', 'SelfSubjectAccessReviewSpec spec = 2'],
  SelfSubjectAccessReviewSpec: ['ResourceAttributes resourceAttributes = 1', 'NonResourceAttributes nonResourceAttributes = 2'],
  SelfSubjectRulesReview: ['meta.ObjectMeta metadata = 1', 'SelfSubjectRulesReviewSpec spec = 2'],
  SelfSubjectRulesReviewSpec: ['string namespace = 1'],
  SubjectAccessReview: accessReview,
  LocalSubjectAccessReview: accessReview,
  SubjectAccessReviewSpec: [
    'ResourceAttributes resourceAttributes = 1',
    'NonResourceAttributes nonResourceAttributes = 2',
    'string user = 3',
    'repeated string groups = 4',
    'string uid = 6',
  ],
  ResourceAttributes: [
    'string namespace = 1',
    'string verb = 2',
    'string group = 3',
    'string version = 4',
    'string resource = 5',
    'string subresource = 6',
    'string name = 7',
    'FieldSelectorAttributes fieldSelector = 8',
    'LabelSelectorAttributes labelSelector = 9',
  ],
  FieldSelectorAttributes: ['string rawSelector = 1', 'repeated FieldSelectorRequirement requirements = 2'],
  FieldSelectorRequirement: ['optional string key = 1', 'optional string operator = 2', 'repeated string values = 3'],
  LabelSelectorAttributes: ['string rawSelector = 1', 'repeated meta.LabelSelectorRequirement requirements = 2'],
  NonResourceAttributes: ['string path = 1', 'string verb = 2'],
};

export const authentication: PackageTables = {
  SelfSubjectReview: ['meta.ObjectMeta metadata = 1'],
};
