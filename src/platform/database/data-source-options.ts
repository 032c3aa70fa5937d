import { join } from 'node:path';
import { Logger as PinoLogger } from 'pino';
import { DataSourceOptions } from 'typeorm';
import { AppConfig } from 'src/platform/config/app-config';
import { ENTITIES } from 'src/platform/database/entities';
import { SnakeNamingStrategy } from 'src/platform/database/snake-naming.strategy';

export type ConnectionPurpose = 'app' | 'owner';

/**
 * The one DataSource definition, used by the API, the worker, the migration CLI and the tests.
 * `app` connections act as the restricted DB_APP_ROLE (no UPDATE/DELETE on append-only tables);
 * `owner` connections run migrations and test clean-up.
 */
export function dataSourceOptions(
  config: Pick<
    AppConfig,
    'DATABASE_URL' | 'DB_APP_ROLE' | 'DB_POOL_SIZE' | 'DB_CONNECT_TIMEOUT_MS' | 'DB_STATEMENT_TIMEOUT_MS'
  >,
  purpose: ConnectionPurpose,
  log?: PinoLogger,
): DataSourceOptions {
  const role = purpose === 'app' ? config.DB_APP_ROLE : '';
  return {
    type: 'postgres',
    url: config.DATABASE_URL,
    entities: ENTITIES,
    migrations: [join(__dirname, '..', '..', '..', 'migrations', '*.{js,ts}')],
    migrationsTableName: 'schema_migration',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    logging: false,
    namingStrategy: new SnakeNamingStrategy(),
    applicationName: purpose === 'app' ? 'bum' : 'bum-owner',
    poolSize: purpose === 'app' ? config.DB_POOL_SIZE : 4,
    connectTimeoutMS: config.DB_CONNECT_TIMEOUT_MS,
    poolErrorHandler: (err: unknown) => log?.warn({ err }, 'idle database connection failed'),
    extra: {
      connectionTimeoutMillis: config.DB_CONNECT_TIMEOUT_MS,
      statement_timeout: purpose === 'app' ? config.DB_STATEMENT_TIMEOUT_MS : 0,
      idle_in_transaction_session_timeout: purpose === 'app' ? 60000 : 0,
      query_timeout: purpose === 'app' ? config.DB_STATEMENT_TIMEOUT_MS + 2000 : undefined,
      options: [role ? `-c role=${role}` : '', '-c timezone=UTC'].filter(Boolean).join(' '),
    },
  };
}
