/**
 * The one error catalogue. Each class carries the Kubernetes reason, the HTTP status it maps to
 * and whether a caller may retry. The store maps etcd/SQLite failures into these once; the API
 * server turns any of them into a `Status` object once; clients turn a `Status` back into them.
 */

/** A cause inside an Invalid error: which field, and what is wrong with it. */
export interface Cause {
  reason: string; // FieldValueInvalid, FieldValueRequired, FieldValueNotSupported, FieldValueDuplicate, FieldValueForbidden, FieldValueTooLong, FieldManagerConflict, UnexpectedServerResponse
  message: string;
  field: string; // dotted path, e.g. spec.template.spec.containers[0].image
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: Cause[];
  retryAfterSeconds?: number;
}

/** The wire shape of a Kubernetes `Status`. */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export abstract class ApiError extends Error {
  abstract readonly reason: string;
  abstract readonly code: number;
  readonly retryable: boolean = false;
  constructor(message: string, readonly details: StatusDetails = {}) {
    super(message);
    this.name = new.target.name;
  }

  toStatus(): Status {
    const status: Status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (Object.keys(this.details).length > 0) status.details = this.details;
    return status;
  }
}

export class BadRequest extends ApiError {
  readonly reason = 'BadRequest';
  readonly code = 400;
}
export class Unauthorized extends ApiError {
  readonly reason = 'Unauthorized';
  readonly code = 401;
}
export class Forbidden extends ApiError {
  readonly reason = 'Forbidden';
  readonly code = 403;
}
export class NotFound extends ApiError {
  readonly reason = 'NotFound';
  readonly code = 404;
}
export class MethodNotAllowed extends ApiError {
  readonly reason = 'MethodNotAllowed';
  readonly code = 405;
}
export class NotAcceptable extends ApiError {
  readonly reason = 'NotAcceptable';
  readonly code = 406;
}
export class AlreadyExists extends ApiError {
  readonly reason = 'AlreadyExists';
  readonly code = 409;
}
/** A compare-and-swap lost: the object changed since it was read. Retry after re-reading. */
export class Conflict extends ApiError {
  readonly reason = 'Conflict';
  readonly code = 409;
  override readonly retryable = true;
}
/** The requested revision is older than the store keeps (compacted): re-list. */
export class Gone extends ApiError {
  readonly reason = 'Expired';
  readonly code = 410;
}
export class RequestEntityTooLarge extends ApiError {
  readonly reason = 'RequestEntityTooLarge';
  readonly code = 413;
}
export class UnsupportedMediaType extends ApiError {
  readonly reason = 'UnsupportedMediaType';
  readonly code = 415;
}
export class Invalid extends ApiError {
  readonly reason = 'Invalid';
  readonly code = 422;
  get causes(): Cause[] {
    return this.details.causes ?? [];
  }
}
export class TooManyRequests extends ApiError {
  readonly reason = 'TooManyRequests';
  readonly code = 429;
  override readonly retryable = true;
}
export class InternalError extends ApiError {
  readonly reason = 'InternalError';
  readonly code = 500;
  override readonly retryable = true;
}
/** The store or a backend cannot be reached right now. */
export class Unavailable extends ApiError {
  readonly reason = 'ServiceUnavailable';
  readonly code = 503;
  override readonly retryable = true;
}
export class Timeout extends ApiError {
  readonly reason = 'Timeout';
  readonly code = 504;
  override readonly retryable = true;
}

const byReason: Record<string, new (message: string, details?: StatusDetails) => ApiError> = {
  BadRequest,
  Unauthorized,
  Forbidden,
  NotFound,
  MethodNotAllowed,
  NotAcceptable,
  AlreadyExists,
  Conflict,
  Expired: Gone,
  Gone,
  RequestEntityTooLarge,
  UnsupportedMediaType,
  Invalid,
  TooManyRequests,
  InternalError,
  ServiceUnavailable: Unavailable,
  Timeout,
};

const byCode: Record<number, new (message: string, details?: StatusDetails) => ApiError> = {
  400: BadRequest,
  401: Unauthorized,
  403: Forbidden,
  404: NotFound,
  405: MethodNotAllowed,
  406: NotAcceptable,
  409: Conflict,
  410: Gone,
  413: RequestEntityTooLarge,
  415: UnsupportedMediaType,
  422: Invalid,
  429: TooManyRequests,
  500: InternalError,
  503: Unavailable,
  504: Timeout,
};

/** Turns a `Status` received from a server (or just an HTTP code) back into the catalogue. */
export function errorFromStatus(code: number, status?: Partial<Status>): ApiError {
  const Class = (status?.reason && byReason[status.reason]) || byCode[code] || InternalError;
  return new Class(status?.message ?? `the server answered ${code}`, status?.details ?? {});
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

export const isNotFound = (e: unknown): e is NotFound => e instanceof NotFound;
export const isConflict = (e: unknown): e is Conflict => e instanceof Conflict;
export const isAlreadyExists = (e: unknown): e is AlreadyExists => e instanceof AlreadyExists;
export const isGone = (e: unknown): e is Gone => e instanceof Gone;

/** What `request` resolves to, or undefined when it fails with NotFound (a read of something that may be gone). */
export async function unlessNotFound<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}
