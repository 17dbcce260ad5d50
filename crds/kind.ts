/**
 * What the server needs to know to serve a kind. Built-in kinds are declared in this folder;
 * user CustomResourceDefinitions become the same declaration (see `fromCustomResourceDefinition`),
 * so both go through the same generic machinery in the API server.
 */
import type { NameRule } from '../src/api/names';
import type { JsonSchema } from '../src/api/schema';

/** A CRD `additionalPrinterColumns` entry. */
export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description?: string;
  priority?: number; // > 0: only with -o wide
  jsonPath: string;
}

export interface ScaleSubresource {
  specReplicasPath: string; // .spec.replicas
  statusReplicasPath: string; // .status.replicas
  labelSelectorPath?: string; // .status.selector (a selector string)
}

export interface KindDeclaration {
  group: string; // '' for the core group
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  categories: string[];
  scope: 'Namespaced' | 'Cluster';
  subresources: { status?: boolean; scale?: ScaleSubresource };
  /** Columns for `kubectl get`; the server may compute richer cells for built-in kinds. */
  printerColumns: PrinterColumn[];
  /** The schema of the whole object (apiVersion, kind, metadata, spec, status...). */
  schema: JsonSchema;
  /** Whether the kind is built into berth (true) or comes from a user CRD (false). */
  builtin: boolean;
  /** The rule object names follow; absent means a DNS-1123 subdomain (see src/api/names.ts). */
  nameRule?: NameRule;
  /**
   * Set while berth serves a kind that nothing acts on yet (no controller): the warning every
   * create and update of the kind answers with, so that storing one never passes for running it.
   * Remove it from the declaration when a controller arrives.
   */
  unmanaged?: string;
}

/** `apps/v1`, or `v1` for the core group. */
export function groupVersion(decl: Pick<KindDeclaration, 'group' | 'version'>): string {
  return decl.group ? `${decl.group}/${decl.version}` : decl.version;
}
