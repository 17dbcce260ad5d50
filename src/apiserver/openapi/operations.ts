/**
 * The paths of a group-version document: for each resource the operations the server answers,
 * each marked with the kind it serves (`x-kubernetes-group-version-kind`). Two readers depend on
 * them:
 *   - `kubectl apply --validate=strict` looks for the kind's PATCH operation and its
 *     `fieldValidation` query parameter; finding it, kubectl leaves validation to the server.
 *   - `kubectl explain` finds the kind of a resource through the operations on its paths.
 * PATCH bodies do not list strategic merge patch: without it kubectl computes such patches from
 * its compiled-in types (built-in kinds) or sends a JSON merge patch (custom resources).
 */
import type { ResourceType } from '../registry';
import { definitionName, deleteOptionsName, gvkOf, type GroupVersionKind, type OpenApiSchema, patchName, ref, scaleName, statusName } from './schemas';

interface Parameter {
  name: string;
  in: 'path' | 'query';
  description: string;
  required?: boolean;
  schema: OpenApiSchema;
}

export interface Operation {
  tags: string[];
  description: string;
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: OpenApiSchema }>; required: boolean };
  responses: Record<string, { description: string; content?: Record<string, { schema: OpenApiSchema }> }>;
  'x-kubernetes-action': string;
  'x-kubernetes-group-version-kind': GroupVersionKind;
}

export type PathItem = { parameters?: Parameter[] } & Partial<Record<'get' | 'put' | 'post' | 'patch' | 'delete', Operation>>;

const query = (name: string, description: string, type: 'string' | 'boolean' | 'integer' = 'string'): Parameter => ({ name, in: 'query', description, schema: { type } });
const pathParameter = (name: string, description: string): Parameter => ({ name, in: 'path', description, required: true, schema: { type: 'string' } });

const dryRun = query('dryRun', 'When present, indicates that modifications should not be persisted. The only valid value is All.');
const fieldManager = query('fieldManager', 'A name associated with the actor or entity that is making these changes.');
const fieldValidation = query(
  'fieldValidation',
  'How the server treats fields of the request body it does not know or finds twice: Ignore, Warn, or Strict (the request fails).',
);
const force = query('force', 'Force is going to "force" Apply requests: it re-acquires conflicting fields owned by other people.', 'boolean');
const pretty = query('pretty', "If 'true', then the output is pretty printed.");
const listParameters = [
  query('labelSelector', 'A selector to restrict the list of returned objects by their labels.'),
  query('fieldSelector', 'A selector to restrict the list of returned objects by their fields.'),
  query('limit', 'The maximum number of objects to return in one page.', 'integer'),
  query('continue', 'The continue token of the previous page.'),
  query('resourceVersion', 'Sets a constraint on what resource versions a request may be served from.'),
  query('resourceVersionMatch', 'Determines how resourceVersion is applied to list calls.'),
  query('watch', 'Watch for changes to the described resources and return them as a stream of events.', 'boolean'),
  query('allowWatchBookmarks', 'Requests watch events with type BOOKMARK.', 'boolean'),
  query('timeoutSeconds', 'Timeout for the list/watch call.', 'integer'),
];
const deleteParameters = [
  dryRun,
  query('gracePeriodSeconds', 'The duration in seconds before the object should be deleted.', 'integer'),
  query('propagationPolicy', 'Whether and how garbage collection will be performed: Orphan, Background or Foreground.'),
];

const json = (schema: OpenApiSchema) => ({ 'application/json': { schema }, 'application/yaml': { schema } });
const patchBody = {
  content: {
    'application/json-patch+json': { schema: ref(patchName) },
    'application/merge-patch+json': { schema: ref(patchName) },
    'application/apply-patch+yaml': { schema: ref(patchName) },
  },
  required: true,
};

/** Every path of one resource, keyed as in the document: `/apis/apps/v1/namespaces/{namespace}/deployments`. */
export function resourcePaths(type: ResourceType): Record<string, PathItem> {
  const prefix = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
  const collection = type.namespaced ? `${prefix}/namespaces/{namespace}/${type.plural}` : `${prefix}/${type.plural}`;
  const item = `${collection}/{name}`;
  const scope = type.namespaced ? 'Namespaced' : '';
  const names = operationNames(type);
  const kind = ref(definitionName(type));
  const gvk = gvkOf(type);
  const operation = (verb: string, action: string, description: string, extra: Partial<Operation>, opGvk = gvk, subject = type.kind): Operation => ({
    tags: [names.tag],
    description,
    operationId: `${verb}${names.groupVersion}${scope}${subject}`,
    responses: { '401': { description: 'Unauthorized' } },
    ...extra,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': opGvk,
  });
  const ok = (schema: OpenApiSchema, created = false): Operation['responses'] => ({
    '200': { description: 'OK', content: json(schema) },
    ...(created ? { '201': { description: 'Created', content: json(schema) } } : {}),
    '401': { description: 'Unauthorized' },
  });
  const collectionParameters = type.namespaced ? [pathParameter('namespace', 'object name and auth scope, such as for teams and projects'), pretty] : [pretty];
  const itemParameters = [pathParameter('name', `name of the ${type.kind}`), ...collectionParameters];

  const paths: Record<string, PathItem> = {
    [collection]: {
      parameters: collectionParameters,
      get: operation('list', 'list', `list or watch objects of kind ${type.kind}`, { parameters: listParameters, responses: ok(ref(definitionName(type, type.decl.listKind))) }),
      post: operation('create', 'post', `create a ${type.kind}`, {
        parameters: [dryRun, fieldManager, fieldValidation],
        requestBody: { content: json(kind), required: true },
        responses: { ...ok(kind, true), '202': { description: 'Accepted', content: json(kind) } },
      }),
      delete: operation('deletecollection', 'deletecollection', `delete collection of ${type.kind}`, {
        parameters: [...deleteParameters, ...listParameters.slice(0, 5)],
        requestBody: { content: json(ref(deleteOptionsName)), required: false },
        responses: ok(ref(statusName)),
      }),
    },
    [item]: {
      parameters: itemParameters,
      get: operation('read', 'get', `read the specified ${type.kind}`, { responses: ok(kind) }),
      put: operation('replace', 'put', `replace the specified ${type.kind}`, {
        parameters: [dryRun, fieldManager, fieldValidation],
        requestBody: { content: json(kind), required: true },
        responses: ok(kind, true),
      }),
      patch: operation('patch', 'patch', `partially update the specified ${type.kind}`, {
        parameters: [dryRun, fieldManager, fieldValidation, force],
        requestBody: patchBody,
        responses: ok(kind, true),
      }),
      delete: operation('delete', 'delete', `delete a ${type.kind}`, {
        parameters: deleteParameters,
        requestBody: { content: json(ref(deleteOptionsName)), required: false },
        responses: { ...ok(ref(statusName)), '202': { description: 'Accepted', content: json(ref(statusName)) } },
      }),
    },
  };
  if (type.namespaced) {
    paths[`${prefix}/${type.plural}`] = {
      parameters: [pretty],
      get: operation('list', 'list', `list or watch objects of kind ${type.kind}`, {
        operationId: `list${names.groupVersion}${type.kind}ForAllNamespaces`,
        parameters: listParameters,
        responses: ok(ref(definitionName(type, type.decl.listKind))),
      }),
    };
  }
  if (type.decl.subresources.status) {
    paths[`${item}/status`] = subresourcePath(operation, itemParameters, kind, gvk, `${type.kind}Status`, `status of the specified ${type.kind}`, ok);
  }
  if (type.decl.subresources.scale) {
    const scaleGvk = { group: 'autoscaling', version: 'v1', kind: 'Scale' };
    paths[`${item}/scale`] = subresourcePath(operation, itemParameters, ref(scaleName), scaleGvk, `${type.kind}Scale`, `scale of the specified ${type.kind}`, ok);
  }
  return paths;
}

type OperationFactory = (verb: string, action: string, description: string, extra: Partial<Operation>, gvk?: GroupVersionKind, subject?: string) => Operation;

function subresourcePath(
  operation: OperationFactory,
  parameters: Parameter[],
  schema: OpenApiSchema,
  gvk: GroupVersionKind,
  subject: string,
  what: string,
  ok: (schema: OpenApiSchema, created?: boolean) => Operation['responses'],
): PathItem {
  return {
    parameters,
    get: operation('read', 'get', `read ${what}`, { responses: ok(schema) }, gvk, subject),
    put: operation('replace', 'put', `replace ${what}`, { parameters: [dryRun, fieldManager, fieldValidation], requestBody: { content: json(schema), required: true }, responses: ok(schema, true) }, gvk, subject),
    patch: operation('patch', 'patch', `partially update ${what}`, { parameters: [dryRun, fieldManager, fieldValidation, force], requestBody: patchBody, responses: ok(schema, true) }, gvk, subject),
  };
}

/**
 * Upstream's names: the tag `apps_v1` and operation ids like `patchAppsV1NamespacedDeployment`,
 * `readCoreV1Node`, `listStableExampleComV1CronTabForAllNamespaces`.
 */
function operationNames(type: ResourceType): { tag: string; groupVersion: string } {
  const group = type.group === '' ? 'core' : type.group.replace(/\.k8s\.io$/, '');
  const words = group.split(/[.-]/).filter((w) => w !== '');
  const camel = words.map((w, i) => (i === 0 ? w : capitalize(w))).join('');
  return { tag: `${camel}_${type.version}`, groupVersion: `${capitalize(camel)}${capitalize(type.version)}` };
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
