/**
 * The few etcd KV and Watch messages the store sends and reads, in protobuf's wire format, by hand: the
 * field numbers are etcd's `rpc.proto` and `kv.proto` (etcdserverpb, mvccpb). Fields the store
 * never reads are skipped, whatever their type.
 *
 *   message ─► fields (tag = number << 3 | wire type) ─► varint | length-delimited bytes
 */

/** Wire types: 0 varint, 1 fixed 64 bits, 2 length-delimited, 5 fixed 32 bits. */
const VARINT = 0;
const FIXED64 = 1;
const BYTES = 2;
const FIXED32 = 5;

/** Builds one message field by field; nested messages are built first and added as bytes. */
export class ProtoWriter {
  private readonly parts: Buffer[] = [];
  private size = 0;

  /** A non-negative integer field (int64, bool, enum); zero is the default and is left out. */
  varint(field: number, value: number | boolean): this {
    const n = typeof value === 'boolean' ? Number(value) : value;
    if (n === 0) return this;
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`protobuf field ${field}: ${n} is not a non-negative safe integer`);
    this.push(encodeVarints((field << 3) | VARINT, n));
    return this;
  }

  /** A bytes, string or nested-message field; an empty one is left out unless `always`. */
  bytes(field: number, value: Buffer | undefined, always = false): this {
    if (value === undefined || (value.length === 0 && !always)) return this;
    this.push(encodeVarints((field << 3) | BYTES, value.length));
    this.push(value);
    return this;
  }

  finish(): Buffer {
    return this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.size);
  }

  private push(part: Buffer): void {
    this.parts.push(part);
    this.size += part.length;
  }
}

/** Non-negative integers as consecutive varints (a field's tag and its value or length), in one Buffer. */
function encodeVarints(...values: number[]): Buffer {
  const bytes: number[] = [];
  for (let n of values) {
    while (n > 0x7f) {
      bytes.push((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    bytes.push(n);
  }
  return Buffer.from(bytes);
}

/** Reads a message's fields in order: `for (const f of fields(buffer)) switch (f.field) …`. */
export interface ProtoField {
  field: number;
  /** The value of a varint field (past 2^53 it is approximate: etcd's cluster and member ids). */
  number: number;
  /** The bytes of a length-delimited field (a view, not a copy). */
  bytes: Buffer;
}

export function* fields(buffer: Buffer): Generator<ProtoField> {
  let at = 0;
  const empty = buffer.subarray(0, 0);
  const varint = (): number => {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (at >= buffer.length) throw new RangeError('protobuf: a varint runs past the end of the message');
      const byte = buffer[at++];
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
    }
  };
  while (at < buffer.length) {
    const tag = varint();
    const field = Math.floor(tag / 8);
    switch (tag & 7) {
      case VARINT:
        yield { field, number: varint(), bytes: empty };
        break;
      case BYTES: {
        const length = varint();
        if (at + length > buffer.length) throw new RangeError('protobuf: a field runs past the end of the message');
        const bytes = buffer.subarray(at, at + length);
        at += length;
        yield { field, number: 0, bytes };
        break;
      }
      case FIXED64:
        at += 8;
        break;
      case FIXED32:
        at += 4;
        break;
      default:
        throw new RangeError(`protobuf: wire type ${tag & 7} is not one etcd sends`);
    }
  }
}

// ---- etcd's messages ----------------------------------------------------------------------

export interface KeyValue {
  key: Buffer;
  value: Buffer;
  createRevision: number;
  modRevision: number;
}

export interface RangeRequest {
  key: Buffer;
  rangeEnd?: Buffer;
  limit?: number;
  revision?: number;
  keysOnly?: boolean;
  countOnly?: boolean;
}

export interface RangeResponse {
  revision: number;
  kvs: KeyValue[];
  more: boolean;
  count: number;
}

export interface PutRequest {
  key: Buffer;
  value: Buffer;
}

export interface DeleteRangeRequest {
  key: Buffer;
  prevKv?: boolean;
}

export interface DeleteRangeResponse {
  revision: number;
  deleted: number;
  prevKvs: KeyValue[];
}

/** A comparison of a key's create or mod revision with a number (all the store needs). */
export interface Compare {
  key: Buffer;
  target: 'create' | 'mod';
  equals: number;
}

export type RequestOp = { range: RangeRequest } | { put: PutRequest } | { deleteRange: DeleteRangeRequest };

export interface TxnRequest {
  compare: Compare[];
  success: RequestOp[];
  failure?: RequestOp[];
}

export interface ResponseOp {
  range?: RangeResponse;
  deleteRange?: DeleteRangeResponse;
}

export interface TxnResponse {
  revision: number;
  succeeded: boolean;
  responses: ResponseOp[];
}

export function encodeRange(r: RangeRequest): Buffer {
  return new ProtoWriter()
    .bytes(1, r.key, true)
    .bytes(2, r.rangeEnd)
    .varint(3, r.limit ?? 0)
    .varint(4, r.revision ?? 0)
    .varint(8, r.keysOnly ?? false)
    .varint(9, r.countOnly ?? false)
    .finish();
}

export function encodePut(r: PutRequest): Buffer {
  return new ProtoWriter().bytes(1, r.key, true).bytes(2, r.value).finish();
}

export function encodeDeleteRange(r: DeleteRangeRequest): Buffer {
  return new ProtoWriter().bytes(1, r.key, true).varint(3, r.prevKv ?? false).finish();
}

/** Compare: result EQUAL is 0 (left out); target CREATE 1, MOD 2; create_revision is field 5, mod_revision 6. */
function encodeCompare(c: Compare): Buffer {
  if (!Number.isSafeInteger(c.equals) || c.equals < 0) throw new RangeError(`compare: revision ${c.equals} is not a non-negative safe integer`);
  const field = c.target === 'create' ? 5 : 6;
  const head = new ProtoWriter().varint(2, c.target === 'create' ? 1 : 2).bytes(3, c.key, true).finish();
  // The revision is a oneof member: sent even when zero, so etcd knows which one is compared.
  return Buffer.concat([head, encodeVarints((field << 3) | VARINT, c.equals)]);
}

function encodeRequestOp(op: RequestOp): Buffer {
  if ('range' in op) return new ProtoWriter().bytes(1, encodeRange(op.range), true).finish();
  if ('put' in op) return new ProtoWriter().bytes(2, encodePut(op.put), true).finish();
  return new ProtoWriter().bytes(3, encodeDeleteRange(op.deleteRange), true).finish();
}

export function encodeTxn(t: TxnRequest): Buffer {
  const writer = new ProtoWriter();
  for (const c of t.compare) writer.bytes(1, encodeCompare(c), true);
  for (const op of t.success) writer.bytes(2, encodeRequestOp(op), true);
  for (const op of t.failure ?? []) writer.bytes(3, encodeRequestOp(op), true);
  return writer.finish();
}

export function encodeCompaction(revision: number): Buffer {
  return new ProtoWriter().varint(1, revision).finish();
}

/** ResponseHeader: the store's revision is field 3. */
function headerRevision(bytes: Buffer): number {
  for (const f of fields(bytes)) if (f.field === 3) return f.number;
  return 0;
}

export function decodeKeyValue(bytes: Buffer): KeyValue {
  const kv: KeyValue = { key: bytes.subarray(0, 0), value: bytes.subarray(0, 0), createRevision: 0, modRevision: 0 };
  for (const f of fields(bytes)) {
    if (f.field === 1) kv.key = f.bytes;
    else if (f.field === 2) kv.createRevision = f.number;
    else if (f.field === 3) kv.modRevision = f.number;
    else if (f.field === 5) kv.value = f.bytes;
  }
  return kv;
}

export function decodeRange(bytes: Buffer): RangeResponse {
  const r: RangeResponse = { revision: 0, kvs: [], more: false, count: 0 };
  for (const f of fields(bytes)) {
    if (f.field === 1) r.revision = headerRevision(f.bytes);
    else if (f.field === 2) r.kvs.push(decodeKeyValue(f.bytes));
    else if (f.field === 3) r.more = f.number !== 0;
    else if (f.field === 4) r.count = f.number;
  }
  return r;
}

export function decodeDeleteRange(bytes: Buffer): DeleteRangeResponse {
  const r: DeleteRangeResponse = { revision: 0, deleted: 0, prevKvs: [] };
  for (const f of fields(bytes)) {
    if (f.field === 1) r.revision = headerRevision(f.bytes);
    else if (f.field === 2) r.deleted = f.number;
    else if (f.field === 3) r.prevKvs.push(decodeKeyValue(f.bytes));
  }
  return r;
}

export function decodeTxn(bytes: Buffer): TxnResponse {
  const r: TxnResponse = { revision: 0, succeeded: false, responses: [] };
  for (const f of fields(bytes)) {
    if (f.field === 1) r.revision = headerRevision(f.bytes);
    else if (f.field === 2) r.succeeded = f.number !== 0;
    else if (f.field === 3) {
      const op: ResponseOp = {};
      for (const inner of fields(f.bytes)) {
        if (inner.field === 1) op.range = decodeRange(inner.bytes);
        else if (inner.field === 3) op.deleteRange = decodeDeleteRange(inner.bytes);
      }
      r.responses.push(op);
    }
  }
  return r;
}

/** Any response whose header is all that is read (Compaction). */
export function decodeHeaderOnly(bytes: Buffer): { revision: number } {
  for (const f of fields(bytes)) if (f.field === 1) return { revision: headerRevision(f.bytes) };
  return { revision: 0 };
}

/** WatchCreateRequest, wrapped in the WatchRequest that carries it (field 1, create_request). */
export interface WatchCreateRequest {
  key: Buffer;
  rangeEnd?: Buffer;
  startRevision: number;
  prevKv?: boolean;
}

export function encodeWatchCreate(r: WatchCreateRequest): Buffer {
  const create = new ProtoWriter()
    .bytes(1, r.key, true)
    .bytes(2, r.rangeEnd)
    .varint(3, r.startRevision)
    .varint(6, r.prevKv ?? false)
    .finish();
  return new ProtoWriter().bytes(1, create, true).finish();
}

export interface WatchEventMessage {
  type: 'PUT' | 'DELETE';
  kv: KeyValue;
  prevKv?: KeyValue;
}

export interface WatchResponse {
  revision: number;
  created: boolean;
  canceled: boolean;
  /** Set on a cancel caused by compaction: the oldest revision the watch could have started from. */
  compactRevision: number;
  cancelReason: string;
  events: WatchEventMessage[];
}

export function decodeWatchResponse(bytes: Buffer): WatchResponse {
  const r: WatchResponse = { revision: 0, created: false, canceled: false, compactRevision: 0, cancelReason: '', events: [] };
  for (const f of fields(bytes)) {
    if (f.field === 1) r.revision = headerRevision(f.bytes);
    else if (f.field === 3) r.created = f.number !== 0;
    else if (f.field === 4) r.canceled = f.number !== 0;
    else if (f.field === 5) r.compactRevision = f.number;
    else if (f.field === 6) r.cancelReason = f.bytes.toString('utf8');
    else if (f.field === 11) r.events.push(decodeEvent(f.bytes));
  }
  return r;
}

/** mvccpb.Event: type PUT is 0 (left out), DELETE 1; kv is field 2, prev_kv 3. */
function decodeEvent(bytes: Buffer): WatchEventMessage {
  const event: WatchEventMessage = { type: 'PUT', kv: decodeKeyValue(bytes.subarray(0, 0)) };
  for (const f of fields(bytes)) {
    if (f.field === 1) event.type = f.number === 1 ? 'DELETE' : 'PUT';
    else if (f.field === 2) event.kv = decodeKeyValue(f.bytes);
    else if (f.field === 3) event.prevKv = decodeKeyValue(f.bytes);
  }
  return event;
}
