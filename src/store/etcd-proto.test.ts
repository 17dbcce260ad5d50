import { decodeKeyValue, decodeRange, decodeTxn, decodeWatchResponse, encodeRange, encodeTxn, encodeWatchCreate, fields, ProtoWriter } from './etcd-proto';

/** A KeyValue as etcd sends it (mvccpb.KeyValue: key 1, create_revision 2, mod_revision 3, version 4, value 5). */
const keyValue = (key: string, value: string, create: number, mod: number): Buffer =>
  new ProtoWriter().bytes(1, Buffer.from(key)).varint(2, create).varint(3, mod).varint(4, 1).bytes(5, Buffer.from(value)).finish();

/** A ResponseHeader (cluster_id 1, member_id 2, revision 3, raft_term 4), ids past 2^53 as etcd's are. */
const header = (revision: number): Buffer => {
  const huge = Buffer.from([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  return Buffer.concat([huge, new ProtoWriter().varint(3, revision).varint(4, 2).finish()]);
};

describe('etcd protobuf messages', () => {
  it('encode a RangeRequest with etcd field numbers, leaving defaults out', () => {
    const bytes = encodeRange({ key: Buffer.from('/a'), rangeEnd: Buffer.from('/b'), limit: 500, revision: 300, keysOnly: false });
    expect([...fields(bytes)].map((f) => [f.field, f.bytes.length ? f.bytes.toString() : f.number])).toEqual([
      [1, '/a'],
      [2, '/b'],
      [3, 500],
      [4, 300],
    ]);
  });

  it('encode a compare of revision 0 explicitly: it is a oneof member, and etcd must see which', () => {
    const txn = encodeTxn({ compare: [{ key: Buffer.from('/k'), target: 'create', equals: 0 }], success: [{ put: { key: Buffer.from('/k'), value: Buffer.from('v') } }] });
    const [compare, success] = [...fields(txn)];
    expect(compare.field).toBe(1);
    expect([...fields(compare.bytes)].map((f) => [f.field, f.bytes.length ? f.bytes.toString() : f.number])).toEqual([
      [2, 1],
      [3, '/k'],
      [5, 0],
    ]);
    expect(success.field).toBe(2);
    const [put] = [...fields(success.bytes)];
    expect(put.field).toBe(2);
    expect([...fields(put.bytes)].map((f) => f.bytes.toString())).toEqual(['/k', 'v']);
  });

  it('decode a RangeResponse: header revision, key-values, more and count, skipping what it does not read', () => {
    const response = new ProtoWriter()
      .bytes(1, header(4_000_000_000))
      .bytes(2, keyValue('/a', '{"x":1}', 5, 7))
      .bytes(2, keyValue('/b', '', 6, 6))
      .varint(3, true)
      .varint(4, 12)
      .bytes(9, Buffer.from('a field from a newer etcd'))
      .finish();
    const range = decodeRange(response);
    expect(range.revision).toBe(4_000_000_000);
    expect(range.more).toBe(true);
    expect(range.count).toBe(12);
    expect(range.kvs.map((kv) => [kv.key.toString(), kv.value.toString(), kv.createRevision, kv.modRevision])).toEqual([
      ['/a', '{"x":1}', 5, 7],
      ['/b', '', 6, 6],
    ]);
  });

  it('decode a TxnResponse with a range and a delete among its responses', () => {
    const range = new ProtoWriter().bytes(1, header(9)).bytes(2, keyValue('/k', '', 3, 8)).finish();
    const deleted = new ProtoWriter().bytes(1, header(9)).varint(2, 1).bytes(3, keyValue('/d', 'old', 2, 4)).finish();
    const txn = new ProtoWriter()
      .bytes(1, header(9))
      .varint(2, true)
      .bytes(3, new ProtoWriter().bytes(1, range).finish())
      .bytes(3, new ProtoWriter().bytes(3, deleted).finish())
      .finish();
    const decoded = decodeTxn(txn);
    expect(decoded.revision).toBe(9);
    expect(decoded.succeeded).toBe(true);
    expect(decoded.responses[0].range?.kvs[0].modRevision).toBe(8);
    expect(decoded.responses[1].deleteRange?.prevKvs[0].value.toString()).toBe('old');
  });

  it('encode a watch: a WatchRequest whose create_request asks for a range from a revision, with previous values', () => {
    const [request, ...rest] = [...fields(encodeWatchCreate({ key: Buffer.from('/p/'), rangeEnd: Buffer.from('/p0'), startRevision: 42, prevKv: true }))];
    expect(rest).toEqual([]);
    expect(request.field).toBe(1);
    expect([...fields(request.bytes)].map((f) => [f.field, f.bytes.length ? f.bytes.toString() : f.number])).toEqual([
      [1, '/p/'],
      [2, '/p0'],
      [3, 42],
      [6, 1],
    ]);
  });

  it('decode WatchResponses: created, events of both types with previous values, a cancel for compaction', () => {
    const put = new ProtoWriter().bytes(2, keyValue('/p/a', '{"v":2}', 3, 9)).bytes(3, keyValue('/p/a', '{"v":1}', 3, 5)).finish();
    const del = new ProtoWriter().varint(1, 1).bytes(2, keyValue('/p/b', '', 4, 10)).finish();
    const events = decodeWatchResponse(new ProtoWriter().bytes(1, header(10)).varint(2, 0).bytes(11, put).bytes(11, del).finish());
    expect(events.revision).toBe(10);
    expect(events.canceled).toBe(false);
    expect(events.events.map((e) => [e.type, e.kv.key.toString(), e.kv.modRevision, e.prevKv?.value.toString()])).toEqual([
      ['PUT', '/p/a', 9, '{"v":1}'],
      ['DELETE', '/p/b', 10, undefined],
    ]);
    expect(decodeWatchResponse(new ProtoWriter().bytes(1, header(10)).varint(3, true).finish()).created).toBe(true);
    const canceled = decodeWatchResponse(new ProtoWriter().bytes(1, header(10)).varint(4, true).varint(5, 7).bytes(6, Buffer.from('compacted')).finish());
    expect([canceled.canceled, canceled.compactRevision, canceled.cancelReason]).toEqual([true, 7, 'compacted']);
  });

  it('refuse a truncated message and numbers that do not fit', () => {
    const kv = keyValue('/a', 'value', 1, 1);
    expect(() => decodeKeyValue(kv.subarray(0, kv.length - 2))).toThrow(RangeError);
    expect(() => new ProtoWriter().varint(1, -1)).toThrow(RangeError);
    expect(() => encodeTxn({ compare: [{ key: Buffer.from('/k'), target: 'mod', equals: 1.5 }], success: [] })).toThrow(RangeError);
  });
});
