import type { FastifyReply } from 'fastify';
import { DomainError } from 'src/platform/errors/domain-error';

export const etagOf = (version: number) => `"${version}"`;

export function setEtag(reply: FastifyReply, version: number): void {
  void reply.header('etag', etagOf(version));
}

/** The row version the client last saw, from `If-Match: "<version>"`. Updates without it are refused (428). */
export function requireIfMatch(header: string | string[] | undefined): number {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value)
    throw new DomainError('preconditionRequired', 'send If-Match with the ETag you last read, so that no change is lost', [
      { pointer: '#header/If-Match', reason: 'required' },
    ]);
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(value.trim());
  if (!match)
    throw new DomainError('badRequest', 'If-Match must be an ETag from this API, e.g. "3"', [
      { pointer: '#header/If-Match', reason: 'invalid format' },
    ]);
  return Number(match[1]);
}
