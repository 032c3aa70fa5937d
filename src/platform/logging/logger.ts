import { LoggerService } from '@nestjs/common';
import { ClsServiceManager } from 'nestjs-cls';
import pino, { Logger } from 'pino';
import { AppConfig } from 'src/platform/config/app-config';

/** Paths that never reach a log line: CPR numbers, names, note text, credentials. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  '*.password',
  '*.cpr',
  '*.name',
  '*.firstName',
  '*.lastName',
  '*.displayName',
  '*.text',
  '*.token',
  '*.accessToken',
  '*.secret',
];

export function createRootLogger(config: Pick<AppConfig, 'LOG_LEVEL' | 'LOG_PRETTY'>, name: string): Logger {
  return pino({
    name,
    level: config.LOG_LEVEL,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { pid: process.pid },
    // Application log lines carry the request (or job's originating request) id.
    mixin: () => {
      const cls = ClsServiceManager.getClsService();
      const requestId = cls.isActive() ? (cls.get<string>('requestId') ?? cls.getId()) : undefined;
      return requestId ? { requestId } : {};
    },
    ...(config.LOG_PRETTY ? { transport: { target: 'pino-pretty', options: { singleLine: true } } } : {}),
  });
}

/** Nest's logger interface on top of pino: one JSON log stream for framework and application. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace', message: unknown, params: unknown[]) {
    const context = typeof params[params.length - 1] === 'string' ? (params.pop() as string) : undefined;
    const stack = level === 'error' && typeof params[0] === 'string' ? (params.shift() as string) : undefined;
    if (message instanceof Error) this.logger[level]({ context, err: message }, message.message);
    else if (typeof message === 'object') this.logger[level]({ context, ...(message as object) });
    else this.logger[level]({ context, ...(stack ? { stack } : {}) }, String(message));
  }
  log(message: unknown, ...params: unknown[]) {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]) {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]) {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]) {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]) {
    this.write('trace', message, params);
  }
}
