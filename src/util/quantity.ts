/**
 * Kubernetes resource quantities ("100m", "1.5", "128Mi", "1G", "2e3") as numbers, and the
 * effective requests of a pod, as the scheduler counts them.
 *
 * CPU is counted in millicores, everything else in base units (bytes, counts), so that sums of
 * requests stay integers and comparisons are exact.
 */

const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const decimal: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

export class QuantityError extends Error {}

/** The value of a quantity in its base unit (cores for cpu, bytes for memory). */
export function parseQuantity(q: string | number): number {
  if (typeof q === 'number') {
    if (!Number.isFinite(q)) throw new QuantityError(`quantity ${q} is not a finite number`);
    return q;
  }
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei)|([eE][+-]?\d+)|(n|u|m|k|M|G|T|P|E))?$/.exec(q.trim());
  if (!m) throw new QuantityError(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': "${q}"`);
  const n = Number(m[1]);
  if (m[2]) return n * binary[m[2]];
  if (m[3]) return n * 10 ** Number(m[3].slice(1));
  return n * decimal[m[4] ?? ''];
}

/** A resource amount in the unit berth counts it in: millicores for cpu, base units otherwise. */
export function amount(resource: string, q: string | number): number {
  const v = parseQuantity(q);
  return resource === 'cpu' ? Math.ceil(Math.round(v * 1e9) / 1e6) : Math.ceil(v);
}

export type ResourceList = Record<string, number>;

/** A `resources.requests`-style map (quantities) as amounts. Bad quantities are errors. */
export function toResourceList(list: Record<string, string | number> | undefined): ResourceList {
  const out: ResourceList = {};
  for (const [name, q] of Object.entries(list ?? {})) out[name] = amount(name, q);
  return out;
}

export function addInto(sum: ResourceList, add: ResourceList): ResourceList {
  for (const [k, v] of Object.entries(add)) sum[k] = (sum[k] ?? 0) + v;
  return sum;
}

interface ContainerLike {
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
  restartPolicy?: string;
}

interface PodSpecLike {
  containers?: ContainerLike[];
  initContainers?: ContainerLike[];
  overhead?: Record<string, string | number>;
}

/** A container's requests; a limit without a request counts as the request, as upstream defaults it. */
function containerRequests(c: ContainerLike): ResourceList {
  return toResourceList({ ...(c.resources?.limits ?? {}), ...(c.resources?.requests ?? {}) });
}

/**
 * What a pod asks of a node: the sum over its containers (and sidecar init containers), or the
 * largest single init container if that is more, per resource, plus the pod overhead.
 */
export function podRequests(spec: PodSpecLike): ResourceList {
  const total: ResourceList = {};
  for (const c of spec.containers ?? []) addInto(total, containerRequests(c));
  let sidecars: ResourceList = {};
  for (const c of spec.initContainers ?? []) {
    const r = containerRequests(c);
    if (c.restartPolicy === 'Always') {
      addInto(total, r);
      sidecars = addInto({ ...sidecars }, r);
      continue;
    }
    for (const [k, v] of Object.entries(r)) {
      const needed = v + (sidecars[k] ?? 0);
      if (needed > (total[k] ?? 0)) total[k] = needed;
    }
  }
  return addInto(total, toResourceList(spec.overhead));
}

/** Formats millicores as kubectl does: "250m", or whole cores "2". */
export function formatCpu(millicores: number): string {
  return millicores % 1000 === 0 ? String(millicores / 1000) : `${millicores}m`;
}

/** Formats bytes with the largest binary suffix that divides them: "128Mi", "1Gi", "1500". */
export function formatBytes(bytes: number): string {
  for (const [suffix, size] of Object.entries(binary).reverse()) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${suffix}`;
  }
  return String(bytes);
}
