import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiConflictResponse, ApiHeader } from '@nestjs/swagger';

export const IDEMPOTENT_KEY = 'bum:idempotent';
export interface IdempotentOptions {
  /** Refuse the request (400) without an Idempotency-Key header. */
  required?: boolean;
}

/**
 * A POST a client may retry: with an `Idempotency-Key` header the same request returns the original
 * response; the same key with a different body is 409. The record commits with the effect.
 */
export function Idempotent(options: IdempotentOptions = {}) {
  return applyDecorators(
    SetMetadata(IDEMPOTENT_KEY, options),
    ApiHeader({
      name: 'Idempotency-Key',
      required: options.required ?? false,
      description: 'A unique key per intended change (e.g. a UUID). Retries with the same key and body return the original result.',
    }),
    ApiConflictResponse({ description: 'The Idempotency-Key was used before with a different request' }),
  );
}
