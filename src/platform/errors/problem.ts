import { HttpException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { constraintMessage, fieldErrorsOf } from 'src/platform/errors/constraint-messages';
import { DomainError, ErrorCode, FieldError, statusOf } from 'src/platform/errors/domain-error';

/** RFC 9457 problem details, the one error format of the API. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  errors: FieldError[];
  requestId?: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface RenderedProblem {
  problem: Problem;
  headers: Record<string, string>;
  /** True when the failure is ours (5xx other than a dependency outage): log it with its stack. */
  unexpected: boolean;
}

function make(code: ErrorCode, detail: string, errors: FieldError[] = [], status = statusOf(code)): Problem {
  return { type: `urn:bum:problem:${code}`, title: TITLES[status] ?? 'Error', status, detail, code, errors };
}

const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);

/** True for errors that mean the database (or another dependency) cannot be reached right now. */
export function isDependencyDown(err: unknown): boolean {
  const e = err as { code?: string; message?: string; driverError?: unknown };
  const code = e?.code ?? (e?.driverError as { code?: string } | undefined)?.code;
  if (code && (CONNECTION_ERRORS.has(code) || /^(08|57P0[1-3]|53)/.test(code))) return true;
  const message = String(e?.message ?? '');
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connect ECONNREFUSED|Connection is not established|Query read timeout/i.test(
    message,
  );
}

/**
 * A foreign key fails two ways: a DELETE of a row still referred to, or an INSERT/UPDATE referring to a row
 * that is not there (deleted meanwhile, after the service checked). The statement's verb tells them apart
 * without parsing PostgreSQL's (translatable) message; the detail is the fallback for errors without SQL.
 */
function isMissingReference(err: unknown, detail: string | undefined): boolean {
  const query = (err as { query?: unknown }).query;
  if (typeof query === 'string' && query.trim()) return !/^\s*DELETE\b/i.test(query);
  return /is not present in table/.test(detail ?? '');
}

function fromDatabase(err: QueryFailedError | { code?: string; constraint?: string }): Problem | undefined {
  const driver = ((err as QueryFailedError).driverError ?? err) as { code?: string; constraint?: string; column?: string; detail?: string };
  const code = driver.code ?? '';
  const missing = code === '23503' && isMissingReference(err, driver.detail);
  const registered = constraintMessage(driver.constraint);
  const known = missing ? registered?.missing : registered;
  if (known) return make(known.status === 409 ? 'conflict' : 'ruleViolated', known.message, fieldErrorsOf(known));
  if (missing) return make('ruleViolated', 'the record refers to another record that does not exist');
  switch (code) {
    case '23505':
      return make('conflict', 'a record with the same unique values already exists');
    case '23P01':
      return make('conflict', 'the period overlaps an existing one');
    case '23503':
      return make('conflict', 'the record is referred to by another record');
    case '23514':
    case '23502':
      return make('ruleViolated', 'the change breaks a rule of the data model', driver.column ? [{ pointer: `/${driver.column}`, reason: 'invalid' }] : []);
    case '40001':
    case '40P01':
      return make('conflict', 'the record was changed concurrently; retry the request');
    case '22P02':
    case '22007':
    case '22008':
    case '22003':
    case '22001':
      return make('badRequest', 'a value has the wrong format or is out of range');
    case '57014':
      return make('dependencyUnavailable', 'the database did not answer in time');
    default:
      return undefined;
  }
}

/** Turns anything thrown while handling a request into a problem. Never exposes stacks or SQL. */
export function toProblem(err: unknown): RenderedProblem {
  if (err instanceof DomainError) {
    return { problem: make(err.code, err.message, err.errors), headers: err.headers, unexpected: false };
  }
  if (isDependencyDown(err)) {
    return {
      problem: make('dependencyUnavailable', 'a service this request needs is unavailable; try again shortly'),
      headers: { 'retry-after': '5' },
      unexpected: false,
    };
  }
  if (err instanceof QueryFailedError || (typeof (err as { code?: unknown })?.code === 'string' && /^[0-9A-Z]{5}$/.test((err as { code: string }).code))) {
    const p = fromDatabase(err as QueryFailedError);
    if (p) return { problem: p, headers: p.status === 503 ? { 'retry-after': '5' } : {}, unexpected: false };
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    if (status === 400 && /JSON/i.test(err.message))
      return {
        problem: make('malformedJson', `the body is not valid JSON: ${err.message}`, [{ pointer: '', reason: 'malformed JSON' }]),
        headers: {},
        unexpected: false,
      };
    const body = err.getResponse() as { message?: unknown } | string;
    const message = typeof body === 'string' ? body : Array.isArray(body?.message) ? body.message.join('; ') : String(body?.message ?? err.message);
    const code = codeForStatus(status);
    return { problem: make(code, message, [], status), headers: {}, unexpected: status >= 500 };
  }
  // Fastify's own errors (body parsing, limits) carry statusCode and an FST_ code.
  const fst = err as { statusCode?: number; code?: string; message?: string };
  if (typeof fst?.statusCode === 'number' && fst.statusCode >= 400 && fst.statusCode < 500) {
    if (fst.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || fst.statusCode === 413)
      return { problem: make('payloadTooLarge', 'the request body is too large'), headers: {}, unexpected: false };
    if (fst.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || fst.statusCode === 415)
      return { problem: make('unsupportedMediaType', 'send the body as application/json'), headers: {}, unexpected: false };
    if (fst.code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
      return { problem: make('malformedJson', 'the body is empty but declared as JSON'), headers: {}, unexpected: false };
    if (fst.statusCode === 400)
      return {
        problem: make('malformedJson', `the body is not valid JSON: ${fst.message ?? ''}`.trim(), [{ pointer: '', reason: 'malformed JSON' }]),
        headers: {},
        unexpected: false,
      };
    return { problem: make(codeForStatus(fst.statusCode), fst.message ?? 'bad request', [], fst.statusCode), headers: {}, unexpected: false };
  }
  return { problem: make('internal', 'an unexpected error occurred; it has been logged'), headers: {}, unexpected: true };
}

function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'badRequest';
    case 401:
      return 'unauthenticated';
    case 403:
      return 'forbidden';
    case 404:
      return 'notFound';
    case 405:
      return 'methodNotAllowed';
    case 409:
      return 'conflict';
    case 413:
      return 'payloadTooLarge';
    case 415:
      return 'unsupportedMediaType';
    case 422:
      return 'ruleViolated';
    case 429:
      return 'rateLimited';
    case 503:
      return 'dependencyUnavailable';
    default:
      return status >= 500 ? 'internal' : 'badRequest';
  }
}
