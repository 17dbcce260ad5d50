/**
 * Ways to break a request body, each deterministic (a seeded generator), each producing bodies
 * that no server may accept: truncated, random, wrongly typed, too deep, too large, not UTF-8,
 * YAML that explodes.
 */

/** A small seeded PRNG (mulberry32), so a failing body can be produced again. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Body {
  /** What was done to the body, for the report. */
  name: string;
  bytes: Buffer;
}

/** The text cut at every length below its own (or every `step`-th), never empty. */
export function truncations(text: string, step = 1): Body[] {
  const out: Body[] = [];
  for (let n = 1; n < text.length; n += step) out.push({ name: `truncated at ${n}`, bytes: Buffer.from(text.slice(0, n)) });
  return out;
}

/** Random bytes of random lengths, some starting like JSON so parsers go further in. */
export function randomBytes(seed: number, count: number): Body[] {
  const next = random(seed);
  const out: Body[] = [];
  for (let i = 0; i < count; i++) {
    const length = 1 + Math.floor(next() * 600);
    const bytes = Buffer.alloc(length);
    for (let j = 0; j < length; j++) bytes[j] = Math.floor(next() * 256);
    if (i % 3 === 1) bytes[0] = 0x7b; // {
    if (i % 3 === 2) bytes.write('{"apiVersion":"v1","kind":', 0, Math.min(length, 26));
    out.push({ name: `random bytes #${i} (${length})`, bytes });
  }
  return out;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Path = Array<string | number>;

/** Every path in a JSON document, containers and leaves, the root excluded. */
export function paths(doc: Json, prefix: Path = []): Path[] {
  const out: Path[] = [];
  if (Array.isArray(doc)) {
    doc.forEach((child, i) => {
      out.push([...prefix, i]);
      out.push(...paths(child, [...prefix, i]));
    });
  } else if (doc !== null && typeof doc === 'object') {
    for (const [key, child] of Object.entries(doc)) {
      out.push([...prefix, key]);
      out.push(...paths(child, [...prefix, key]));
    }
  }
  return out;
}

const kindOf = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** Values of every other JSON type than `value`'s (null excepted: it means "absent" in Kubernetes). */
export function otherTypes(value: unknown): Json[] {
  const candidates: Json[] = ['a string', 12345, 3.5, true, ['a', 'list'], { an: 'object' }];
  return candidates.filter((c) => kindOf(c) !== kindOf(value) && !(typeof value === 'number' && typeof c === 'number'));
}

export function setAt(doc: Json, path: Path, value: Json): Json {
  const copy = JSON.parse(JSON.stringify(doc)) as Json;
  let node = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  node[path[path.length - 1]] = value;
  return copy;
}

/**
 * The document with one value replaced by a value of another type, for every path `pick`
 * chooses (all of them by default); `perPath` of the other types each, rotating through them,
 * leaving out the values `accepts` says the field takes (numbers for an int-or-string).
 */
export function wrongTypes(
  doc: Json,
  options: { pick?: (path: Path) => boolean; perPath?: number; accepts?: (path: Path, value: Json) => boolean } = {},
): Body[] {
  const out: Body[] = [];
  let turn = 0;
  for (const path of paths(doc)) {
    if (options.pick && !options.pick(path)) continue;
    const current = path.reduce<Json>((node, key) => (node as Record<string | number, Json>)[key], doc);
    const others = otherTypes(current).filter((value) => !options.accepts?.(path, value));
    const count = Math.min(options.perPath ?? others.length, others.length);
    for (let i = 0; i < count; i++) {
      const replacement = others[(turn + i) % others.length];
      out.push({ name: `${path.join('.')} as ${kindOf(replacement)}`, bytes: Buffer.from(JSON.stringify(setAt(doc, path, replacement))) });
    }
    turn++;
  }
  return out;
}

/** Nesting far past any sane depth, inside the body's own structure. */
export function deepNesting(doc: Record<string, Json>, depth: number): Body[] {
  const arrays = '['.repeat(depth) + ']'.repeat(depth);
  const objects = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
  const text = JSON.stringify(doc);
  const inject = (where: string, deep: string) => Buffer.from(text.replace(/^\{/, `{"${where}":${deep},`));
  const bodies = [
    { name: `arrays ${depth} deep at the top`, bytes: Buffer.from(arrays) },
    { name: `objects ${depth} deep at the top`, bytes: Buffer.from(objects) },
    { name: `arrays ${depth} deep in an unknown field`, bytes: inject('unknownDeep', arrays) },
    { name: `objects ${depth} deep in an unknown field`, bytes: inject('unknownDeep', objects) },
    // The original keys come later and win in JSON.parse: only the depth can refuse these.
    { name: `arrays ${depth} deep as spec, spec repeated`, bytes: inject('spec', arrays) },
  ];
  if (text.includes('"metadata":{')) {
    bodies.push({ name: `objects ${depth} deep as labels, labels repeated`, bytes: Buffer.from(text.replace('"metadata":{', `"metadata":{"labels":${objects},`)) });
  }
  return bodies;
}

/**
 * Strings of a megabyte (under the body limit) where the server itself must refuse any value
 * but the right one: apiVersion, kind, a JSON patch's op and path, a propagation policy.
 */
export function hugeStrings(doc: Json): Body[] {
  const huge = 'K'.repeat(1024 * 1024);
  const out: Body[] = [];
  const replace = (node: Json, path: Path): void => {
    if (Array.isArray(node)) node.forEach((child, i) => replace(child, [...path, i]));
    else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        if (['apiVersion', 'kind', 'op', 'path', 'propagationPolicy'].includes(key) && typeof child === 'string') {
          out.push({ name: `a 1 MiB ${[...path, key].join('.')}`, bytes: Buffer.from(JSON.stringify(setAt(doc, [...path, key], huge))) });
        } else replace(child, [...path, key]);
      }
    }
  };
  replace(doc, []);
  return out;
}

/** Bodies past the 3 MiB limit, declared honestly or streamed without a length. */
export function oversized(doc: Record<string, Json>): Body[] {
  const big = 'x'.repeat(3 * 1024 * 1024 + 1);
  return [
    { name: 'a 3 MiB string in an unknown field', bytes: Buffer.from(JSON.stringify({ ...doc, padding: big })) },
    { name: 'a 3 MiB annotation', bytes: Buffer.from(JSON.stringify({ ...doc, metadata: { ...(doc.metadata as object), annotations: { big } } })) },
    { name: '3 MiB of spaces', bytes: Buffer.from(' '.repeat(3 * 1024 * 1024 + 10)) },
  ];
}

/**
 * Bytes that are not UTF-8: before the document, as the whole body, and inside the value of
 * `key` (`kind`, or `op` for JSON patches), where they change what the body says.
 */
export function badUtf8(text: string, key = 'kind'): Body[] {
  const bad = [Buffer.from([0xff]), Buffer.from([0xc3, 0x28]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80])];
  const value = new RegExp(`"${key}":"[^"]*`).exec(text);
  const insert = (index: number, bytes: Buffer) => Buffer.concat([Buffer.from(text.slice(0, index)), bytes, Buffer.from(text.slice(index))]);
  const out: Body[] = [];
  bad.forEach((bytes, i) => {
    out.push({ name: `invalid UTF-8 #${i} before the document`, bytes: insert(0, bytes) });
    out.push({ name: `invalid UTF-8 #${i} as the whole body`, bytes });
    if (value) out.push({ name: `invalid UTF-8 #${i} inside ${key}`, bytes: insert(value.index + value[0].length, bytes) });
  });
  return out;
}

/** YAML that parses into something huge, deep or not JSON at all (for server-side apply bodies). */
export function yamlBombs(kindLine: string): Body[] {
  const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) {
    const previous = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    laughs.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
  }
  const deepFlow = '['.repeat(50000) + ']'.repeat(50000);
  let deepBlock = '';
  for (let i = 0; i < 2000; i++) deepBlock += `${' '.repeat(i)}k:\n`;
  return [
    { name: 'billion laughs', bytes: Buffer.from(`${kindLine}\nmetadata: {name: victim}\n${laughs.join('\n')}\n`) },
    { name: 'billion laughs under spec', bytes: Buffer.from(`${kindLine}\nmetadata: {name: victim}\nspec:\n${laughs.map((l) => `  ${l}`).join('\n')}\n`) },
    { name: 'flow sequences 50000 deep', bytes: Buffer.from(`${kindLine}\nmetadata: {name: victim}\nspec: ${deepFlow}\n`) },
    { name: 'block mappings 2000 deep', bytes: Buffer.from(`${kindLine}\nmetadata: {name: victim}\nspec:\n${deepBlock.replace(/^/gm, '  ')}`) },
    { name: 'an alias loop', bytes: Buffer.from(`${kindLine}\nmetadata: &m {name: victim, self: *m}\n`) },
    { name: 'two documents', bytes: Buffer.from(`${kindLine}\nmetadata: {name: victim}\n---\n${kindLine}\nmetadata: {name: victim}\n`) },
    { name: 'a set for labels', bytes: Buffer.from(`${kindLine}\nmetadata: {name: victim, labels: !!set {a, b}}\n`) },
    { name: 'a duplicate key', bytes: Buffer.from(`${kindLine}\nmetadata: {name: victim}\nmetadata: {name: victim}\n`) },
    { name: 'a sequence at the top', bytes: Buffer.from(`- ${kindLine}\n`) },
    { name: 'a bare scalar', bytes: Buffer.from('victim\n') },
    { name: 'tabs for indentation', bytes: Buffer.from(`${kindLine}\nmetadata:\n\tname: victim\n`) },
    { name: 'an unknown tag', bytes: Buffer.from(`${kindLine}\nmetadata: !!python/object:os.system {name: victim}\n`) },
  ];
}
