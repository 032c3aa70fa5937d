import { IncomingMessage } from 'node:http';
import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { TestingModule } from '@nestjs/testing';
import { AppConfig } from 'src/platform/config/app-config';
import { createRootLogger, PinoNestLogger } from 'src/platform/logging/logger';
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
  return SwaggerModule.createDocument(app, builder.build(), {
    operationIdFactory: (controllerKey, methodKey) => `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
}

/** Everything an API process needs around the Nest application: hooks, errors, docs. Shared with the tests. */
export async function configureHttpApp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', String(req.id));
  });
  // JSON only: any other body type is 415 rather than a string the validators would misread.
  fastify.removeContentTypeParser('text/plain');
  app.useLogger(new PinoNestLogger(createRootLogger(config, 'api')));
  app.enableShutdownHooks();
  const document = swaggerDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json', yamlDocumentUrl: 'docs/openapi.yaml' });
  await app.init();
}

export async function createHttpApp(
  moduleOrTesting: Type<unknown> | TestingModule,
  config: AppConfig,
): Promise<NestFastifyApplication> {
  const adapter = fastifyAdapter(config);
  const app =
    typeof moduleOrTesting === 'function'
      ? await NestFactory.create<NestFastifyApplication>(moduleOrTesting, adapter, { bufferLogs: true })
      : (moduleOrTesting as TestingModule).createNestApplication<NestFastifyApplication>(adapter, { bufferLogs: true });
  await configureHttpApp(app, config);
  return app;
}
