/**
 * etcd's KV service (Range, Txn, DeleteRange, Compact) over `GrpcChannel`, in the store's own
 * shapes: revisions as numbers, keys and values as Buffers.
 */
import {
  decodeDeleteRange,
  decodeHeaderOnly,
  decodeRange,
  decodeTxn,
  DeleteRangeRequest,
  DeleteRangeResponse,
  encodeCompaction,
  encodeDeleteRange,
  encodePut,
  encodeRange,
  encodeTxn,
  PutRequest,
  RangeRequest,
  RangeResponse,
  TxnRequest,
  TxnResponse,
} from './etcd-proto';
import { GrpcChannel, GrpcChannelOptions } from './etcd-grpc';

export type { Compare, KeyValue, RangeRequest, RangeResponse, RequestOp, TxnRequest, TxnResponse } from './etcd-proto';

const service = '/etcdserverpb.KV/';

export class EtcdKv {
  private readonly channel: GrpcChannel;

  constructor(options: GrpcChannelOptions) {
    this.channel = new GrpcChannel(options);
  }

  async range(request: RangeRequest): Promise<RangeResponse> {
    return decodeRange(await this.channel.call(`${service}Range`, encodeRange(request)));
  }

  /** A plain put, with no comparison (the benchmarks' baseline; the store always compares). */
  async put(request: PutRequest): Promise<{ revision: number }> {
    return decodeHeaderOnly(await this.channel.call(`${service}Put`, encodePut(request)));
  }

  async txn(request: TxnRequest): Promise<TxnResponse> {
    return decodeTxn(await this.channel.call(`${service}Txn`, encodeTxn(request)));
  }

  async deleteRange(request: DeleteRangeRequest): Promise<DeleteRangeResponse> {
    return decodeDeleteRange(await this.channel.call(`${service}DeleteRange`, encodeDeleteRange(request)));
  }

  async compact(revision: number): Promise<{ revision: number }> {
    return decodeHeaderOnly(await this.channel.call(`${service}Compact`, encodeCompaction(revision)));
  }

  close(): void {
    this.channel.close();
  }
}
