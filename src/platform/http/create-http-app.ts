import { IncomingMessage } from 'node:http';
import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { TestingModule } from '@nestjs/testing';
import { AppConfig } from 'src/platform/config/app-config';
import { createRootLogger, PinoNestLogger } from 'src/platform/logging/logger';
import { registerJsonBodyParser } from 'src/platform/http/json-body';
import { DomainError } from 'src/platform/errors/domain-error';
import { requestIdOf } from 'src/platform/http/request-id';

export function fastifyAdapter(config: AppConfig): FastifyAdapter {
  const adapter = new FastifyAdapter({
    loggerInstance: createRootLogger(config, 'api'),
    genReqId: (raw: IncomingMessage) => requestIdOf(raw),
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  } as never);
  return adapter;
}

/** Route config (`@RouteConfig(CSV_BODY)` from @nestjs/platform-fastify) of a route that takes a text/csv body. */
export const CSV_BODY = { csvBody: true } as const;

/**
 * text/csv as the raw body (a string, same size limit as JSON), for the routes that declare CSV_BODY only: on
 * any other route it stays 415, so no JSON route ever sees a string where its DTO expects an object. A raw
 * body rather than multipart (@fastify/multipart is not installed): a finance system posts the file as is.
 */
export function registerCsvBodyParser(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit }, (req, body, done) => {
    if ((req.routeOptions.config as { csvBody?: boolean } | undefined)?.csvBody !== true)
      return done(new DomainError('unsupportedMediaType', 'this route takes application/json, not text/csv'), undefined);
    done(null, body);
  });
}

export function swaggerDocument(app: INestApplication) {
  const builder = new DocumentBuilder()
    .setTitle('BUM — visitation and purchaser/provider case management')
    .setDescription(
      'API for Danish municipal adult social services: the authority (myndighed) grants support under versioned ' +
        'quality standards (kvalitetsstandarder), institutions (udførere) deliver and document, and finance ' +
        'settles it in a double-entry ledger. Errors are RFC 9457 application/problem+json.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT or API key', description: 'A JWT from POST /api/v1/auth/token or the OIDC broker, or an API key (bumk_...)' });
  const document = SwaggerModule.createDocument(app, builder.build(), {
    operationIdFactory: (controllerKey, methodKey) => `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
  addProblemResponses(document);
  return document;
}

/** Every operation can fail with an RFC 9457 problem; document the format once and refer to it everywhere. */
function addProblemResponses(document: OpenAPIObject): void {
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas.Problem = {
    type: 'object',
    description: 'RFC 9457 problem details (application/problem+json), the one error format of the API',
    required: ['type', 'title', 'status', 'detail', 'code', 'errors'],
    properties: {
      type: { type: 'string', example: 'urn:bum:problem:validationFailed' },
      title: { type: 'string', example: 'Bad Request' },
      status: { type: 'integer', example: 400 },
      detail: { type: 'string', example: '/capacity: capacity must not be less than 0' },
      code: { type: 'string', description: 'Stable machine-readable error code', example: 'validationFailed' },
      errors: {
        type: 'array',
        items: {
          type: 'object',
          required: ['pointer', 'reason'],
          properties: {
            pointer: { type: 'string', description: 'JSON pointer into the body, or #header/<name>', example: '/capacity' },
            reason: { type: 'string', example: 'capacity must not be less than 0' },
          },
        },
      },
      requestId: { type: 'string', description: 'Echoes X-Request-Id; quote it when reporting a problem' },
    },
  };
  const problem = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
  for (const path of Object.values(document.paths))
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const op = path[method];
      if (!op) continue;
      for (const [status, response] of Object.entries(op.responses ?? {}))
        if (/^[45]/.test(status) && response && 'description' in response) response.content ??= problem;
      op.responses.default ??= { description: 'An error (problem+json): 400, 401, 403, 404, 409, 413, 422, 429, 503', content: problem };
    }
}

/** Everything an API process needs around the Nest application: hooks, errors, docs. Shared with the tests. */
export async function configureHttpApp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', String(req.id));
  });
  // JSON only, with size and depth limits: any other body type is 415 rather than strings the validators
  // would misread. Nest's own parsers (JSON and form-encoded) are switched off in createHttpApp.
  registerJsonBodyParser(fastify, config.BODY_LIMIT_BYTES);
  registerCsvBodyParser(fastify, config.BODY_LIMIT_BYTES);
  app.useLogger(new PinoNestLogger(createRootLogger(config, 'api')));
  const document = swaggerDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json', yamlDocumentUrl: 'docs/openapi.yaml' });
  try {
    await app.init();
  } catch (err) {
    // A refused start (e.g. a route without a policy) must not leave the database pool and Redis open:
    // they would keep the process, or a test run, alive.
    await app.close().catch(() => undefined);
    throw err;
  }
}

export async function createHttpApp(
  moduleOrTesting: Type<unknown> | TestingModule,
  config: AppConfig,
): Promise<NestFastifyApplication> {
  const adapter = fastifyAdapter(config);
  const app =
    typeof moduleOrTesting === 'function'
      ? await NestFactory.create<NestFastifyApplication>(moduleOrTesting, adapter, { bufferLogs: true, bodyParser: false })
      : (moduleOrTesting as TestingModule).createNestApplication<NestFastifyApplication>(adapter, { bufferLogs: true, bodyParser: false });
  await configureHttpApp(app, config);
  return app;
}
