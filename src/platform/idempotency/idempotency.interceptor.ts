import { createHash } from 'node:crypto';
import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, Observable } from 'rxjs';
import { Principal } from 'src/platform/auth/principal';
import { DomainError } from 'src/platform/errors/domain-error';
import { IDEMPOTENT_KEY, IdempotentOptions } from 'src/platform/idempotency/idempotent.decorator';

const KEY_FORMAT = /^[A-Za-z0-9._:-]{8,200}$/;

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.keys(value as object).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  return value;
}

/**
 * Runs an @Idempotent handler in one transaction with its idempotency record. A concurrent request with the
 * same key waits on the record's primary key and then sees the committed outcome: one effect, one answer.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const options = this.reflector.get<IdempotentOptions | undefined>(IDEMPOTENT_KEY, ctx.getHandler());
    if (!options) return next.handle();
    const req = ctx.switchToHttp().getRequest<FastifyRequest & { user?: Principal }>();
    const reply = ctx.switchToHttp().getResponse<FastifyReply>();
    const header = req.headers['idempotency-key'];
    const key = Array.isArray(header) ? header[0] : header;
    if (!key) {
      if (options.required)
        throw new DomainError('idempotencyKeyMissing', 'this request needs an Idempotency-Key header', [
          { pointer: '#header/Idempotency-Key', reason: 'required' },
        ]);
      return next.handle();
    }
    if (!KEY_FORMAT.test(key))
      throw new DomainError('badRequest', 'Idempotency-Key must be 8-200 characters of letters, digits, . _ : -', [
        { pointer: '#header/Idempotency-Key', reason: 'invalid format' },
      ]);
    const principal = req.user ? `${req.user.kind}:${req.user.id}` : 'anonymous';
    const route = `${req.method} ${req.routeOptions.url ?? req.url}`;
    const requestHash = createHash('sha256')
      .update(JSON.stringify(canonical({ route, params: req.params, body: req.body ?? null })))
      .digest('hex');

    return from(
      this.txHost.withTransaction(async () => {
        const tx = this.txHost.tx;
        const inserted: unknown[] = await tx.query(
          `INSERT INTO idempotency_record (principal, key, route, request_hash, response_status)
           VALUES ($1, $2, $3, $4, 0) ON CONFLICT DO NOTHING RETURNING key`,
          [principal, key, route, requestHash],
        );
        if (!inserted.length) {
          const [stored] = (await tx.query(
            `SELECT request_hash, response_status, response_body, response_headers FROM idempotency_record
              WHERE principal = $1 AND key = $2`,
            [principal, key],
          )) as { request_hash: string; response_status: number; response_body: unknown; response_headers: Record<string, string> }[];
          if (stored.request_hash !== requestHash)
            throw new DomainError('idempotencyKeyReused', 'this Idempotency-Key was used with a different request', [
              { pointer: '#header/Idempotency-Key', reason: 'already used for another request' },
            ]);
          void reply.status(stored.response_status).headers(stored.response_headers).header('idempotent-replayed', 'true');
          return stored.response_body;
        }
        const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
        const status = reply.statusCode;
        const headers: Record<string, string> = {};
        for (const name of ['location', 'etag']) {
          const value = reply.getHeader(name);
          if (value !== undefined) headers[name] = String(value);
        }
        await tx.query(
          `UPDATE idempotency_record SET response_status = $3, response_body = $4, response_headers = $5
            WHERE principal = $1 AND key = $2`,
          [principal, key, status, JSON.stringify(body ?? null), JSON.stringify(headers)],
        );
        return body;
      }),
    );
  }
}
