import { NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { registerConstraintMessages } from 'src/platform/errors/constraint-messages';
import { DomainError, ErrorCode, statusOf } from 'src/platform/errors/domain-error';
import { toProblem } from 'src/platform/errors/problem';

const dbError = (code: string, constraint?: string) =>
  new QueryFailedError('SELECT secret FROM t', [], Object.assign(new Error('duplicate key value violates unique constraint'), { code, constraint }));

describe('toProblem', () => {
  it('renders domain errors with their status, code and field pointers', () => {
    const { problem } = toProblem(new DomainError('ruleViolated', 'capacity is needed', [{ pointer: '/capacity', reason: 'required' }]));
    expect(problem).toMatchObject({ status: 422, code: 'ruleViolated', detail: 'capacity is needed', errors: [{ pointer: '/capacity', reason: 'required' }] });
    expect(problem.type).toBe('urn:bum:problem:ruleViolated');
  });

  it('maps every error code to a 4xx or 5xx status', () => {
    const codes: ErrorCode[] = ['badRequest', 'validationFailed', 'malformedJson', 'unauthenticated', 'accountLocked', 'forbidden', 'notFound', 'methodNotAllowed', 'conflict', 'versionMismatch', 'periodClosed', 'idempotencyKeyReused', 'idempotencyKeyMissing', 'preconditionRequired', 'payloadTooLarge', 'unsupportedMediaType', 'ruleViolated', 'rateLimited', 'dependencyUnavailable', 'internal'];
    for (const code of codes) expect(statusOf(code)).toBeGreaterThanOrEqual(400);
  });

  it('turns registered constraints into clear messages and never leaks SQL', () => {
    registerConstraintMessages({ uq_test_name: { status: 409, message: 'the name is taken', pointer: '/name' } });
    const known = toProblem(dbError('23505', 'uq_test_name')).problem;
    expect(known).toMatchObject({ status: 409, detail: 'the name is taken', errors: [{ pointer: '/name', reason: 'the name is taken' }] });
    const unknown = toProblem(dbError('23505', 'uq_other')).problem;
    expect(unknown.status).toBe(409);
    expect(JSON.stringify(unknown)).not.toMatch(/SELECT|secret|uq_other/);
    expect(toProblem(dbError('23514')).problem.status).toBe(422);
    expect(toProblem(dbError('23P01')).problem.status).toBe(409);
    expect(toProblem(dbError('40001')).problem.status).toBe(409);
  });

  it('tells the two ways a foreign key fails apart, by the failing statement', () => {
    registerConstraintMessages({
      fk_test_parent: {
        status: 409,
        message: 'the parent has children',
        missing: { status: 422, message: 'the parent does not exist', pointer: '/parentId' },
      },
    });
    const fk = (sql: string, constraint?: string) =>
      new QueryFailedError(sql, [], Object.assign(new Error('violates foreign key constraint'), { code: '23503', constraint }));
    expect(toProblem(fk('DELETE FROM parent WHERE id = $1', 'fk_test_parent')).problem).toMatchObject({
      status: 409,
      detail: 'the parent has children',
      errors: [],
    });
    expect(toProblem(fk('INSERT INTO child (parent_id) VALUES ($1)', 'fk_test_parent')).problem).toMatchObject({
      status: 422,
      detail: 'the parent does not exist',
      errors: [{ pointer: '/parentId', reason: 'the parent does not exist' }],
    });
    // Unregistered constraints get the generic message of their direction.
    expect(toProblem(fk('DELETE FROM parent', 'fk_other')).problem.status).toBe(409);
    expect(toProblem(fk('  update child SET parent_id = $1', 'fk_other')).problem.status).toBe(422);
  });

  it('answers 503 with Retry-After when the database cannot be reached', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const rendered = toProblem(refused);
    expect(rendered.problem.status).toBe(503);
    expect(rendered.headers['retry-after']).toBeDefined();
    expect(toProblem(new Error('timeout exceeded when trying to connect')).problem.status).toBe(503);
    expect(toProblem(dbError('57P01')).problem.status).toBe(503);
  });

  it('keeps Nest HTTP exceptions and hides unknown errors', () => {
    expect(toProblem(new NotFoundException('Cannot GET /x')).problem).toMatchObject({ status: 404, code: 'notFound' });
    const rendered = toProblem(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(rendered.problem.status).toBe(500);
    expect(rendered.unexpected).toBe(true);
    expect(rendered.problem.detail).not.toContain('undefined');
  });
});
