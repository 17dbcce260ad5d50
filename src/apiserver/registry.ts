/**
 * The kinds the server serves right now: the built-in declarations from `crds/`, plus every
 * established user CustomResourceDefinition (added and removed while the server runs).
 *
 *   group/version/plural ──► ResourceType ◄── group/version/Kind
 *                               │ decl (names, scope, schema, columns, subresources)
 *                               └ keys in the store: /registry/<group>/<plural>/[<ns>/]<name>
 */
import type { KindDeclaration } from '../../crds/kind';
import { groupVersion } from '../../crds/kind';
import { objectKey, resourcePrefix } from '../api/keys';

export class ResourceType {
  readonly groupVersion: string;
  /** How upstream names the resource in messages: `deployments.apps`, or `pods` for core. */
  readonly qualifiedResource: string;
  readonly namespaced: boolean;

  constructor(readonly decl: KindDeclaration) {
    this.groupVersion = groupVersion(decl);
    this.qualifiedResource = decl.group ? `${decl.plural}.${decl.group}` : decl.plural;
    this.namespaced = decl.scope === 'Namespaced';
  }

  get group(): string {
    return this.decl.group;
  }
  get version(): string {
    return this.decl.version;
  }
  get kind(): string {
    return this.decl.kind;
  }
  get plural(): string {
    return this.decl.plural;
  }

  /** Store prefix of every object of this resource, or of one namespace's. */
  prefix(namespace?: string): string {
    return resourcePrefix(this.decl.group, this.decl.plural, this.namespaced ? namespace : undefined);
  }

  key(namespace: string | undefined, name: string): string {
    return objectKey(this.decl.group, this.decl.plural, this.namespaced ? namespace : undefined, name);
  }

  hasSubresource(name: string): boolean {
    if (name === 'status') return Boolean(this.decl.subresources.status);
    if (name === 'scale') return Boolean(this.decl.subresources.scale);
    return false;
  }
}

type Listener = () => void;

export class Registry {
  private readonly byResource = new Map<string, ResourceType>();
  private readonly byKind = new Map<string, ResourceType>();
  private readonly listeners = new Set<Listener>();
  private generation = 0;

  constructor(declarations: KindDeclaration[] = []) {
    for (const d of declarations) this.insert(d);
  }

  /** Adds or replaces a kind (a CRD's version). Listeners hear about it. */
  add(decl: KindDeclaration): ResourceType {
    const type = this.insert(decl);
    this.changed();
    return type;
  }

  /** Removes every version of a resource (a deleted CRD). */
  removeResource(group: string, plural: string): void {
    for (const [key, type] of [...this.byResource]) {
      if (type.group === group && type.plural === plural) {
        this.byResource.delete(key);
        this.byKind.delete(`${type.groupVersion}/${type.kind}`);
      }
    }
    this.changed();
  }

  get(group: string, version: string, plural: string): ResourceType | undefined {
    return this.byResource.get(`${group}/${version}/${plural}`);
  }

  forKind(apiVersion: string, kind: string): ResourceType | undefined {
    return this.byKind.get(`${apiVersion}/${kind}`);
  }

  /** Any served version of a resource (they share storage). */
  anyVersion(group: string, plural: string): ResourceType | undefined {
    for (const type of this.byResource.values()) if (type.group === group && type.plural === plural) return type;
    return undefined;
  }

  all(): ResourceType[] {
    return [...this.byResource.values()];
  }

  /** Groups in a stable order (core first, then built-ins as declared, then CRD groups by name). */
  groups(): Array<{ group: string; versions: string[] }> {
    const order: string[] = [];
    const versions = new Map<string, string[]>();
    for (const type of this.byResource.values()) {
      if (!versions.has(type.group)) {
        versions.set(type.group, []);
        order.push(type.group);
      }
      const list = versions.get(type.group)!;
      if (!list.includes(type.version)) list.push(type.version);
    }
    return order.map((group) => ({ group, versions: sortVersions(versions.get(group)!) }));
  }

  /** Changes whenever the set of kinds changes; discovery caches on it. */
  get revision(): number {
    return this.generation;
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private insert(decl: KindDeclaration): ResourceType {
    const type = new ResourceType(decl);
    this.byResource.set(`${decl.group}/${decl.version}/${decl.plural}`, type);
    this.byKind.set(`${type.groupVersion}/${decl.kind}`, type);
    return type;
  }

  private changed(): void {
    this.generation++;
    for (const l of this.listeners) l();
  }
}

/**
 * Kubernetes version priority: GA before beta before alpha, higher numbers first
 * (v2 > v1 > v1beta2 > v1beta1 > v1alpha1), anything else last by name.
 */
export function sortVersions(versions: string[]): string[] {
  const rank = (v: string): [number, number, number, string] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [3, 0, 0, v];
    const stability = m[2] === undefined ? 0 : m[2] === 'beta' ? 1 : 2;
    return [stability, -Number(m[1]), -Number(m[3] ?? 0), v];
  };
  return [...versions].sort((a, b) => {
    const x = rank(a);
    const y = rank(b);
    for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
    return x[3] < y[3] ? -1 : x[3] > y[3] ? 1 : 0;
  });
}
