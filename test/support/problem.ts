import type { TestResponse } from 'test/support/http';

/**
 * What must never reach a client: stack frames, source paths, SQL, driver errors, constraint names.
 * Constraint names (uq_/fk_/ck_) are internal: clients get a message and a pointer instead.
 */
export const LEAK =
  /\n\s+at |node_modules|\.[jt]s:\d+|QueryFailedError|TypeORM|\bSELECT\b|\bINSERT INTO\b|\bUPDATE \w+ SET\b|\bDELETE FROM\b|violates|duplicate key|\bconstraint "|\b(uq|fk|ck|pk|ix)_[a-z_]+|"stack"|RangeError|TypeError/i;

/** The problem+json body every error of the API has (RFC 9457 plus our code, errors and requestId). */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors: { pointer: string; reason: string }[];
  requestId: string;
}

/**
 * Asserts that a response is an RFC 9457 problem with the given status (and code), in full: content type,
 * every member, the request id echoed in X-Request-Id, and nothing internal leaked. Returns the body.
 */
export function expectProblem(res: TestResponse, status: number, code?: string): ProblemBody {
  const context = `${res.status} ${res.text}`;
  expect({ status: res.status, context }).toEqual({ status, context });
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  const body = res.body as ProblemBody;
  expect(typeof body).toBe('object');
  expect(Object.keys(body).sort()).toEqual([
    'code',
    'detail',
    'errors',
    'requestId',
    'status',
    'title',
    'type',
  ]);
  expect(body.status).toBe(status);
  expect(typeof body.title).toBe('string');
  expect(body.title.length).toBeGreaterThan(0);
  expect(typeof body.detail).toBe('string');
  expect(body.detail.length).toBeGreaterThan(0);
  expect(typeof body.code).toBe('string');
  expect(body.type).toBe(`urn:bum:problem:${body.code}`);
  if (code) expect(body.code).toBe(code);
  expect(Array.isArray(body.errors)).toBe(true);
  for (const e of body.errors) {
    expect(typeof e.pointer).toBe('string');
    expect(typeof e.reason).toBe('string');
  }
  expect(typeof body.requestId).toBe('string');
  expect(body.requestId.length).toBeGreaterThan(0);
  expect(res.headers['x-request-id']).toBe(body.requestId);
  expect(res.text).not.toMatch(LEAK);
  return body;
}

/** The pointers a problem names, sorted. */
export const pointersOf = (problem: ProblemBody) => problem.errors.map((e) => e.pointer).sort();
