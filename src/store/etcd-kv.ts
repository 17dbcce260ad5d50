/**
 * etcd's KV service (Range, Txn, DeleteRange, Compact) and its Watch over `GrpcChannel`, in the
 * store's own shapes: revisions as numbers, keys and values as Buffers.
 */
import {
  decodeDeleteRange,
  decodeHeaderOnly,
  decodeRange,
  decodeTxn,
  decodeWatchResponse,
  DeleteRangeRequest,
  DeleteRangeResponse,
  encodeCompaction,
  encodeDeleteRange,
  encodePut,
  encodeRange,
  encodeTxn,
  encodeWatchCreate,
  PutRequest,
  RangeRequest,
  RangeResponse,
  TxnRequest,
  TxnResponse,
  WatchCreateRequest,
  WatchResponse,
} from './etcd-proto';
import { GrpcChannel, GrpcChannelOptions, GrpcError } from './etcd-grpc';

export type { Compare, KeyValue, WatchCreateRequest, WatchResponse, WatchEventMessage, RangeRequest, RangeResponse, RequestOp, TxnRequest, TxnResponse } from './etcd-proto';

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

  /**
   * One watch on its own stream: every response goes to `response`; `ended` says why the stream
   * ended (the watch is then gone, and a new one resumes it). `cancel()` ends it from this side.
   */
  watch(request: WatchCreateRequest, handlers: { response(r: WatchResponse): void; ended(error: GrpcError): void }): { cancel(): void } {
    return this.channel.stream('/etcdserverpb.Watch/Watch', encodeWatchCreate(request), {
      message: (bytes) => handlers.response(decodeWatchResponse(bytes)),
      ended: handlers.ended,
    });
  }

  close(): void {
    this.channel.close();
  }
}
