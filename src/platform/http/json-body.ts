import type { FastifyInstance } from 'fastify';
import { DomainError } from 'src/platform/errors/domain-error';

/**
 * How deeply a request body may nest. Our DTOs go two or three levels deep; class-transformer and
 * class-validator recurse per level, so a 1 MB body of `{"a":{"a":...` overflowed the stack (a 500) before
 * this limit.
 */
export const MAX_JSON_DEPTH = 32;

/** True when objects/arrays in `value` nest deeper than `max`. Iterative, so that it cannot overflow itself. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * The API's only body parser: JSON (Fastify's own, which refuses `__proto__`/`constructor` poisoning) with a
 * size and a depth limit. Every other content type, form-encoded and text included, is 415: a form body
 * would reach the validators as strings and slip past the JSON types the DTOs declare.
 */
export function registerJsonBodyParser(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (req, body, done) => {
    // parseAs 'string': the body is text. Fastify's parser answers through the callback, synchronously.
    void parse(req, body as string, (err: Error | null, value?: unknown) => {
      if (err) return done(err, undefined);
      if (nestsDeeperThan(value, MAX_JSON_DEPTH))
        return done(
          new DomainError('badRequest', `the body nests deeper than ${MAX_JSON_DEPTH} levels`, [
            { pointer: '', reason: 'nested too deeply' },
          ]),
          undefined,
        );
      done(null, value);
    });
  });
}
