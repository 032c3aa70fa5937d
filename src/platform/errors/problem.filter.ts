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
  void reply.status(problem.status).headers(headers).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}
