/** Every error code the API answers with, besides validation. Each maps to one HTTP status below. */
export type ErrorCode =
  | 'badRequest'
  | 'validationFailed'
  | 'malformedJson'
  | 'unauthenticated'
  | 'accountLocked'
  | 'forbidden'
  | 'notFound'
  | 'methodNotAllowed'
  | 'conflict'
  | 'versionMismatch'
  | 'periodClosed'
  | 'idempotencyKeyReused'
  | 'idempotencyKeyMissing'
  | 'preconditionRequired'
  | 'payloadTooLarge'
  | 'unsupportedMediaType'
  | 'ruleViolated'
  | 'rateLimited'
  | 'dependencyUnavailable'
  | 'internal';

export function statusOf(code: ErrorCode): number {
  switch (code) {
    case 'badRequest':
    case 'validationFailed':
    case 'malformedJson':
    case 'idempotencyKeyMissing':
      return 400;
    case 'unauthenticated':
    case 'accountLocked':
      return 401;
    case 'forbidden':
      return 403;
    case 'notFound':
      return 404;
    case 'methodNotAllowed':
      return 405;
    case 'conflict':
    case 'versionMismatch':
    case 'periodClosed':
    case 'idempotencyKeyReused':
      return 409;
    case 'payloadTooLarge':
      return 413;
    case 'unsupportedMediaType':
      return 415;
    case 'ruleViolated':
      return 422;
    case 'preconditionRequired':
      return 428;
    case 'rateLimited':
      return 429;
    case 'internal':
      return 500;
    case 'dependencyUnavailable':
      return 503;
    default: {
      const never: never = code;
      return never;
    }
  }
}

export interface FieldError {
  /** JSON pointer into the request (RFC 6901), e.g. `/capacity`, or a header/query name prefixed `#`. */
  pointer: string;
  reason: string;
}

/** A failure the client can act on. Thrown by services; rendered as problem+json by the filter. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors: FieldError[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
  get status(): number {
    return statusOf(this.code);
  }
}

export const notFound = (what: string) => new DomainError('notFound', `${what} was not found`);
export const ruleViolated = (message: string, pointer?: string) =>
  new DomainError('ruleViolated', message, pointer ? [{ pointer, reason: message }] : []);
export const conflict = (message: string, pointer?: string) =>
  new DomainError('conflict', message, pointer ? [{ pointer, reason: message }] : []);
