import { IncomingMessage } from 'node:http';
import { DomainError } from 'src/platform/errors/domain-error';
import { requireIfMatch } from 'src/platform/http/etag';
import { decodeCursor, encodeCursor, pageOf } from 'src/platform/http/pagination';
import { requestIdOf } from 'src/platform/http/request-id';

describe('If-Match', () => {
  it('reads the version from strong and weak ETags', () => {
    expect(requireIfMatch('"7"')).toBe(7);
    expect(requireIfMatch('W/"12"')).toBe(12);
  });
  it('is required (428) and must be one of ours (400)', () => {
    expect(() => requireIfMatch(undefined)).toThrow(expect.objectContaining({ code: 'preconditionRequired' }) as unknown as DomainError);
    expect(() => requireIfMatch('"abc"')).toThrow(expect.objectContaining({ code: 'badRequest' }) as unknown as DomainError);
  });
});

describe('cursors', () => {
  it('round-trip the sort key and reject forgeries', () => {
    const cursor = encodeCursor(['bostøtten', 'a1']);
    expect(decodeCursor(cursor, 2)).toEqual(['bostøtten', 'a1']);
    expect(decodeCursor(undefined, 2)).toBeNull();
    expect(() => decodeCursor('not-a-cursor', 2)).toThrow(DomainError);
    expect(() => decodeCursor(encodeCursor(['x']), 2)).toThrow(DomainError);
  });
  it('give a next cursor only when there is more', () => {
    const rows = [1, 2, 3].map((n) => ({ n }));
    expect(pageOf(rows, 2, (r) => [r.n])).toEqual({ items: [{ n: 1 }, { n: 2 }], nextCursor: encodeCursor([2]) });
    expect(pageOf(rows, 3, (r) => [r.n]).nextCursor).toBeNull();
  });
});

describe('request ids', () => {
  const raw = (header?: string) => ({ headers: header ? { 'x-request-id': header } : {} }) as unknown as IncomingMessage;
  it('keeps a sane X-Request-Id and replaces anything else', () => {
    expect(requestIdOf(raw('abc-123'))).toBe('abc-123');
    expect(requestIdOf(raw('<script>'))).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdOf(raw('x'.repeat(200)))).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdOf(raw())).toMatch(/^[0-9a-f-]{36}$/);
  });
});
