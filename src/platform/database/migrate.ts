import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from 'src/platform/config/app-config';
import { dataSourceOptions } from 'src/platform/database/data-source-options';
import { ensureDatabase } from 'src/platform/database/ensure-database';

/**
 * Creates the database if asked to and runs pending migrations as the owner. An advisory lock makes
 * concurrent starts (API and worker, several replicas) wait for one another instead of racing.
 */
export async function migrate(config: AppConfig): Promise<string[]> {
  const logger = new Logger('migrations');
  if (config.DB_CREATE_IF_MISSING && (await ensureDatabase(config.DATABASE_URL))) logger.log('created the database');
  const ds = new DataSource(dataSourceOptions(config, 'owner'));
  await ds.initialize();
  try {
    const runner = ds.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock(7417001)');
      const done = await ds.runMigrations({ transaction: 'each' });
      for (const m of done) logger.log(`applied ${m.name}`);
      return done.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock(7417001)').catch(() => undefined);
      await runner.release();
    }
  } finally {
    await ds.destroy();
  }
}
