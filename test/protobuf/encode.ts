/**
 * A minimal protobuf writer for tests: builds the bodies kubectl never sends (Leases, Scales,
 * timestamps, packed lists, unknown fields) so the decoder can be checked field by field.
 * A message is a list of fields; nested messages are written as their encoded bytes.
 */

export type Field =
  | { n: number; varint: bigint | number | boolean }
  | { n: number; bytes: Buffer | string | Field[] }
  | { n: number; fixed64: Buffer }
  | { n: number; fixed32: Buffer };

export function varint(value: bigint | number | boolean): Buffer {
  let v = BigInt.asUintN(64, typeof value === 'boolean' ? (value ? 1n : 0n) : BigInt(value));
  const out: number[] = [];
  do {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? byte | 0x80 : byte);
  } while (v > 0n);
  return Buffer.from(out);
}

const tag = (n: number, wireType: number): Buffer => varint((n << 3) | wireType);

export function message(fields: Field[]): Buffer {
  return Buffer.concat(
    fields.map((f) => {
      if ('varint' in f) return Buffer.concat([tag(f.n, 0), varint(f.varint)]);
      if ('fixed64' in f) return Buffer.concat([tag(f.n, 1), f.fixed64]);
      if ('fixed32' in f) return Buffer.concat([tag(f.n, 5), f.fixed32]);
      const bytes = Array.isArray(f.bytes) ? message(f.bytes) : Buffer.from(f.bytes);
      return Buffer.concat([tag(f.n, 2), varint(bytes.length), bytes]);
    }),
  );
}

/** Shorthands for the field kinds the tables use. */
export const str = (n: number, value: string): Field => ({ n, bytes: value });
export const num = (n: number, value: bigint | number | boolean): Field => ({ n, varint: value });
export const sub = (n: number, fields: Field[]): Field => ({ n, bytes: fields });
export const entry = (n: number, key: string, value: string | Field[]): Field =>
  sub(n, [str(1, key), typeof value === 'string' ? str(2, value) : sub(2, value)]);

/** The `k8s\0` envelope around an object's message, as kubectl sends it. */
export function envelope(apiVersion: string, kind: string, object: Field[], extra: Field[] = []): Buffer {
  return Buffer.concat([
    Buffer.from('k8s\0', 'latin1'),
    message([sub(1, [str(1, apiVersion), str(2, kind)]), { n: 2, bytes: message(object) }, ...extra]),
  ]);
}
