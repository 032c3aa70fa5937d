import { IncomingMessage } from 'node:http';
import { Global, Logger, Module } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { ClsModule } from 'nestjs-cls';
import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AppConfig } from 'src/platform/config/app-config';
import { dataSourceOptions } from 'src/platform/database/data-source-options';
import { requestIdOf } from 'src/platform/http/request-id';

/**
 * PostgreSQL through TypeORM, plus the transaction host every module uses: `TransactionHost.tx` is the
 * EntityManager of the surrounding `@Transactional()` (or a plain one outside it).
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const logger = new Logger('database');
        return {
          ...dataSourceOptions(config, 'app', {
            warn: (obj: unknown, msg?: string) => logger.warn({ msg, err: String((obj as { err?: Error })?.err) }),
          } as never),
          // A start against a database that is down fails fast and readably; the pool retries on its own later.
          retryAttempts: 3,
          retryDelay: 1000,
        };
      },
    }),
    ClsModule.forRoot({
      global: true,
      // Every HTTP request runs in its own context whose id is the request id (X-Request-Id).
      middleware: {
        mount: true,
        generateId: true,
        idGenerator: (req: IncomingMessage & { raw?: IncomingMessage }) => requestIdOf(req.raw ?? req),
      },
      plugins: [
        new ClsPluginTransactional({
          imports: [TypeOrmModule],
          adapter: new TransactionalAdapterTypeOrm({ dataSourceToken: getDataSourceToken() }),
          enableTransactionProxy: false,
        }),
      ],
    }),
  ],
})
export class DatabaseModule {}
