/**
 * The one place where etcd and gRPC failures become the error catalogue: by the gRPC status code,
 * and by text for etcd's own conditions, which only show in the message.
 */
import { ApiError, Gone, InternalError, isApiError, RequestEntityTooLarge, Timeout, Unavailable } from '../api/errors';
import { GrpcError, grpcStatus } from './etcd-grpc';

const unavailableMessages = ['etcdserver: leader changed', 'etcdserver: no leader', 'etcdserver: not capable', 'etcdserver: too many requests'];
const timeoutMessages = ['etcdserver: request timed out'];

/** Maps anything an etcd call threw; `where` says what was being done, e.g. `get /registry/…`. */
export function etcdError(e: unknown, where: string): ApiError {
  if (isApiError(e)) return e;
  const message = e instanceof Error ? e.message : String(e);
  const says = (texts: string[]): boolean => texts.some((text) => message.includes(text));
  const status = e instanceof GrpcError ? e.code : undefined;
  if (message.includes('required revision has been compacted')) {
    return new Gone(`${where}: the revision asked for has been compacted; list again`);
  }
  if (message.includes('required revision is a future revision')) {
    return new Timeout(`${where}: the revision asked for is newer than the store's; retry later`, { retryAfterSeconds: 1 });
  }
  if (message.includes('etcdserver: request is too large') || status === grpcStatus.resourceExhausted) {
    return new RequestEntityTooLarge(`${where}: ${message}`);
  }
  if (status === grpcStatus.deadlineExceeded || says(timeoutMessages)) {
    return new Timeout(`${where}: etcd did not answer in time (${message})`);
  }
  if (
status === grpcStatus.unavailable ||
    status === grpcStatus.cancelled ||
    says(unavailableMessages)
  ) {
    return new Unavailable(`${where}: etcd is unavailable (${message})`);
  }
  return new InternalError(`${where}: etcd failed: ${message}`);
}
