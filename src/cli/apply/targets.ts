/**
 * A manifest made ready to send: its kind resolved through discovery (custom kinds included),
 * its namespace filled in from `-n` or the context for namespaced kinds and dropped for
 * cluster-scoped ones, as kubectl does.
 */
import { isNotFound } from '../../api/errors';
import type { Obj } from '../../api/object';
import type { Client, KindRef } from '../../client';
import type { Manifest } from '../manifests';
import { ObjectIdentity } from './identity';
import type { ManifestInput } from './input';
import { fieldError } from './write-errors';

export interface Target {
  manifest: Manifest;
  ref: KindRef;
  identity: ObjectIdentity;
  /** The manifest as it is sent: a copy, its namespace settled. */
  body: Obj;
}

/** The namespace a command works in, and whether `-n` named it (then manifests may not disagree). */
export interface NamespaceChoice {
  namespace: string;
  explicit: boolean;
}

export async function resolveTarget(client: Client, manifest: Manifest, choice: NamespaceChoice, input: Pick<ManifestInput, 'text'>, signal?: AbortSignal): Promise<Target> {
  const { object } = manifest;
  let ref: KindRef;
  try {
    ref = await client.discover(object.apiVersion!, object.kind!, { signal });
  } catch (e) {
    if (isNotFound(e)) throw fieldError(manifest, input, 'kind', e.message);
    throw e;
  }
  const metadata = { ...object.metadata };
  if (ref.namespaced) {
    if (metadata.namespace && choice.explicit && metadata.namespace !== choice.namespace) {
      throw fieldError(
        manifest,
        input,
        'metadata.namespace',
        `the namespace of the object "${metadata.namespace}" does not match the namespace "${choice.namespace}" given with -n; pass -n ${metadata.namespace} or drop one of them`,
      );
    }
    metadata.namespace ||= choice.namespace;
  } else {
    delete metadata.namespace;
  }
  const body: Obj = { ...object, metadata };
  return {
    manifest,
    ref,
    identity: { group: ref.group, kind: ref.kind, namespace: metadata.namespace, name: metadata.name ?? '' },
    body,
  };
}
