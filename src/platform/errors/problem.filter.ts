import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, toProblem } from 'src/platform/errors/problem';

/** Renders every error of every route as application/problem+json. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(err: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw err;
    const http = host.switchToHttp();
    sendProblem(err, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), this.logger);
  }
}

export function sendProblem(err: unknown, req: FastifyRequest, reply: FastifyReply, logger: Pick<Logger, 'error' | 'warn'>) {
  const { problem, headers, unexpected } = toProblem(err);
  problem.requestId = String(req.id);
  if (unexpected) logger.error(err instanceof Error ? err : new Error(String(err)));
  else if (problem.status === 503) logger.warn({ msg: 'dependency unavailable', err: String((err as Error)?.message ?? err) });
  if (reply.sent) return;
  const all = problem.status === 429 && !headers['retry-after'] ? { ...headers, 'retry-after': retryAfterOfThrottlers(reply) } : headers;
  void reply.status(problem.status).headers(all).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

/**
 * @nestjs/throttler names its header after the throttler (`Retry-After-login`), which no client knows; a 429
 * carries the standard `Retry-After` (RFC 6585 §4) with the longest wait of those, or a minute (the window).
 */
function retryAfterOfThrottlers(reply: FastifyReply): string {
  const waits = Object.entries(reply.getHeaders())
    .filter(([name]) => name.toLowerCase().startsWith('retry-after-'))
    .map(([, value]) => Number(value))
    .filter((n) => Number.isFinite(n) && n > 0);
  return String(waits.length ? Math.max(...waits) : 60);
}
