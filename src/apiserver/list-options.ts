/**
 * The query parameters of list and watch requests, parsed and checked once:
 * labelSelector, fieldSelector, limit, continue, resourceVersion, resourceVersionMatch,
 * timeoutSeconds, allowWatchBookmarks, sendInitialEvents.
 */
import { BadRequest } from '../api/errors';
import type { Obj } from '../api/object';
import { checkFieldSelector, parseFieldSelector } from '../api/field-selector';
import { parseLabelSelector } from '../api/selector';
import type { LabelMatcher } from '../store/store';
import { fieldLabels } from './field-labels';
import { queryBoolean } from './query-boolean';
import type { ResourceType } from './registry';

export interface ListQuery {
  labelSelector?: LabelMatcher;
  /** Field selector and namespace, as one predicate. */
  filter?: (object: Obj) => boolean;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  timeoutSeconds?: number;
  allowWatchBookmarks: boolean;
  sendInitialEvents?: boolean;
}

/** Digits only, and small enough to be exact as a number (store revisions never get near 2^53). */
function nonNegativeInteger(name: string, raw: string | null): number | undefined {
  if (raw === null || raw === '') return undefined;
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw new BadRequest(`${name}: Invalid value: "${raw}": must be a non-negative integer`);
  return Number(raw);
}

export function parseListQuery(type: ResourceType, query: URLSearchParams, namespace?: string, name?: string): ListQuery {
  const labelText = query.get('labelSelector');
  const labelSelector = labelText ? parseLabelSelector(labelText) : undefined;

  const predicates: Array<(o: Obj) => boolean> = [];
  if (namespace && type.namespaced) predicates.push((o) => o.metadata.namespace === namespace);
  if (name !== undefined) predicates.push((o) => o.metadata.name === name);
  const fieldText = query.get('fieldSelector');
  if (fieldText) {
    const selector = parseFieldSelector(fieldText);
    const labels = fieldLabels(type);
    checkFieldSelector(selector, Object.keys(labels), type.kind);
    predicates.push((o) => selector.matches((field) => labels[field]?.(o)));
  }
  const filter = predicates.length === 0 ? undefined : predicates.length === 1 ? predicates[0] : (o: Obj) => predicates.every((p) => p(o));

  const resourceVersion = query.get('resourceVersion') ?? undefined;
  if (resourceVersion !== undefined && resourceVersion !== '' && (!/^\d+$/.test(resourceVersion) || !Number.isSafeInteger(Number(resourceVersion)))) {
    throw new BadRequest(`resourceVersion: Invalid value: "${resourceVersion}": must be an integer`);
  }
  const match = query.get('resourceVersionMatch') ?? undefined;
  if (match !== undefined && match !== '' && match !== 'Exact' && match !== 'NotOlderThan') {
    throw new BadRequest(`resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
  }
  const sendInitialEvents = queryBoolean(query, 'sendInitialEvents');
  // A watch-list (sendInitialEvents) may ask for NotOlderThan "" — the latest state.
  if (match && !resourceVersion && sendInitialEvents !== true) throw new BadRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
  const continueToken = query.get('continue') ?? undefined;
  if (continueToken && resourceVersion && resourceVersion !== '0') {
    throw new BadRequest('specifying resource version is not allowed when using continue');
  }

  return {
    labelSelector,
    filter,
    limit: nonNegativeInteger('limit', query.get('limit')) || undefined,
    continue: continueToken || undefined,
    resourceVersion: resourceVersion || undefined,
    resourceVersionMatch: (match || undefined) as ListQuery['resourceVersionMatch'],
    timeoutSeconds: nonNegativeInteger('timeoutSeconds', query.get('timeoutSeconds')),
    allowWatchBookmarks: queryBoolean(query, 'allowWatchBookmarks') ?? false,
    sendInitialEvents,
  };
}
