/**
 * The review resources clients ask before acting: `kubectl auth can-i` (SelfSubjectAccessReview;
 * SelfSubjectRulesReview with --list), `kubectl auth whoami` (SelfSubjectReview), and the
 * (Local)SubjectAccessReviews that tools ask about other users. Create-only: each is answered at
 * once and never stored.
 *
 *   POST …/selfsubjectaccessreviews ─► decode (400) ─► validate (422, field paths) ─► status ─► 201
 *
 * berth authenticates (static bearer tokens) but does not authorize by role yet: every
 * authenticated request is allowed, as with upstream's AlwaysAllow authorizer, and the reviews
 * answer that. Unauthenticated users are refused everything but the open paths once tokens are
 * configured, as the server itself refuses them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type * as t from 'io-ts';
import { MethodNotAllowed, NotFound, type Cause } from '../api/errors';
import type { Obj } from '../api/object';
import {
  LocalSubjectAccessReview,
  SelfSubjectAccessReview,
  SelfSubjectReview,
  SelfSubjectRulesReview,
  SubjectAccessReview,
  type SubjectAccessReviewSpec,
} from '../api/types';
import { openPaths, type User } from './auth';
import { schemaOf } from '../api/schema-of';
import { schemaFieldCheck } from './field-schemas';
import { checkBodyKind, decodeBody, fieldValidation, isDryRun } from './handlers/context';
import { parseBody, readBody, sendJson, warningHeader } from './http';
import type { ResourceRequest } from './request-info';
import { invalid } from './storage';

export interface ReviewResource {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  codec: t.Mixed;
  /** What upstream's validation refuses in the review, as causes at their field paths. */
  validate(review: Obj, namespace: string | undefined): Cause[];
  /** The status the review is answered with. */
  answer(review: Obj, asker: Asker): Record<string, unknown>;
}

/** Who asks, and whether the server authenticates at all. */
export interface Asker {
  user: User;
  authenticating: boolean;
}

/**
 * An access review's status for a user with these groups: anyone may act without authentication;
 * otherwise anyone authenticated, and on the open paths anyone.
 */
function verdict(name: string, groups: string[], authenticating: boolean, path: string | undefined): Record<string, unknown> {
  const anonymous = name === 'system:anonymous' || groups.includes('system:unauthenticated');
  if (!authenticating || !anonymous || (path !== undefined && openPaths.has(path.replace(/\/+$/, '')))) {
    return { allowed: true, reason: 'berth does not authorize by role yet: every authenticated request is allowed' };
  }
  return { allowed: false, reason: 'the user is not authenticated' };
}

type Attributes = Pick<SubjectAccessReviewSpec, 'resourceAttributes' | 'nonResourceAttributes'>;

/** Exactly one of resourceAttributes and nonResourceAttributes, as upstream requires of every access review. */
function attributeCauses(spec: Attributes): Cause[] {
  if (spec.resourceAttributes && spec.nonResourceAttributes) {
    return [{ reason: 'FieldValueInvalid', field: 'spec.nonResourceAttributes', message: 'Invalid value: cannot be specified in combination with resourceAttributes' }];
  }
  if (!spec.resourceAttributes && !spec.nonResourceAttributes) {
    return [{ reason: 'FieldValueInvalid', field: 'spec.resourceAttributes', message: 'Invalid value: exactly one of nonResourceAttributes or resourceAttributes must be specified' }];
  }
  return [];
}

function subjectCauses(spec: SubjectAccessReviewSpec): Cause[] {
  const causes = attributeCauses(spec);
  if (!spec.user && (spec.groups ?? []).length === 0) {
    causes.push({ reason: 'FieldValueInvalid', field: 'spec.user', message: 'Invalid value: "": at least one of user or group must be specified' });
  }
  return causes;
}

function specOf<S>(review: Obj): S {
  return (review as unknown as { spec: S }).spec;
}

/** A SubjectAccessReview's answer: about the user it names, not the one asking. */
function subjectAnswer(review: Obj, { authenticating }: Asker): Record<string, unknown> {
  const spec = specOf<SubjectAccessReviewSpec>(review);
  return verdict(spec.user ?? '', spec.groups ?? [], authenticating, spec.nonResourceAttributes?.path);
}

const authorization = { group: 'authorization.k8s.io', version: 'v1' };

export const reviewResources: ReviewResource[] = [
  {
    ...authorization,
    plural: 'selfsubjectaccessreviews',
    singular: 'selfsubjectaccessreview',
    kind: 'SelfSubjectAccessReview',
    namespaced: false,
    codec: SelfSubjectAccessReview,
    validate: (review) => attributeCauses(specOf(review)),
    answer: (review, { user, authenticating }) => verdict(user.name, user.groups, authenticating, specOf<Attributes>(review).nonResourceAttributes?.path),
  },
  {
    ...authorization,
    plural: 'selfsubjectrulesreviews',
    singular: 'selfsubjectrulesreview',
    kind: 'SelfSubjectRulesReview',
    namespaced: false,
    codec: SelfSubjectRulesReview,
    validate: () => [],
    answer: () => ({
      resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      incomplete: false,
    }),
  },
  {
    ...authorization,
    plural: 'subjectaccessreviews',
    singular: 'subjectaccessreview',
    kind: 'SubjectAccessReview',
    namespaced: false,
    codec: SubjectAccessReview,
    validate: (review) => subjectCauses(specOf(review)),
    answer: subjectAnswer,
  },
  {
    ...authorization,
    plural: 'localsubjectaccessreviews',
    singular: 'localsubjectaccessreview',
    kind: 'LocalSubjectAccessReview',
    namespaced: true,
    codec: LocalSubjectAccessReview,
    validate: (review, namespace) => {
      const spec = specOf<SubjectAccessReviewSpec>(review);
      const causes = subjectCauses(spec);
      if (spec.resourceAttributes && spec.resourceAttributes.namespace !== namespace) {
        causes.push({ reason: 'FieldValueInvalid', field: 'spec.resourceAttributes.namespace', message: `Invalid value: ${JSON.stringify(spec.resourceAttributes.namespace ?? '')}: must match metadata.namespace` });
      }
      if (spec.nonResourceAttributes) {
        causes.push({ reason: 'FieldValueInvalid', field: 'spec.nonResourceAttributes', message: 'Invalid value: disallowed on this kind of request' });
      }
      return causes;
    },
    answer: subjectAnswer,
  },
  {
    group: 'authentication.k8s.io',
    version: 'v1',
    plural: 'selfsubjectreviews',
    singular: 'selfsubjectreview',
    kind: 'SelfSubjectReview',
    namespaced: false,
    codec: SelfSubjectReview,
    validate: () => [],
    answer: (_review, { user }) => ({ userInfo: { username: user.name, ...(user.uid ? { uid: user.uid } : {}), groups: user.groups } }),
  },
];

export function findReview(group: string, version: string, plural: string): ReviewResource | undefined {
  return reviewResources.find((r) => r.group === group && r.version === version && r.plural === plural);
}

/** Answers a request for a review resource: POST to its collection, nothing else. */
export async function serveReview(review: ReviewResource, req: IncomingMessage, res: ServerResponse, info: ResourceRequest, query: URLSearchParams, asker: Asker): Promise<void> {
  if (review.namespaced !== (info.namespace !== undefined)) throw new NotFound('the server could not find the requested resource');
  if (info.verb !== 'create' || info.name !== undefined || info.subresource) {
    throw new MethodNotAllowed(`the server does not allow this method on the requested resource (${review.plural} can only be created)`);
  }
  isDryRun(query); // refuses a bad value; a review is never stored anyway
  const validation = fieldValidation(query);
  const groupVersion = `${review.group}/${review.version}`;
  const body = checkBodyKind({ kind: review.kind, groupVersion }, parseBody(await readBody(req), req.headers['content-type']));
  delete body.status;
  const { object: known, warnings } = schemaFieldCheck.check(schemas.get(review)!, body, validation);
  const object = decodeBody(review.codec, known, review.kind) as Obj;
  const causes = review.validate(object, info.namespace);
  if (causes.length > 0) throw invalid(review, '', causes);
  const metadata = info.namespace ? { ...object.metadata, namespace: info.namespace } : object.metadata;
  sendJson(res, 201, { ...object, metadata: { creationTimestamp: null, ...metadata }, status: review.answer(object, asker) }, { headers: warningHeader(warnings) });
}

/** Each review's schema, for judging unknown fields. */
const schemas = new Map(reviewResources.map((review) => [review, schemaOf(review.codec)]));
