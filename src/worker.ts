import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from 'src/platform/config/app-config';
import { loadEnvFile } from 'src/platform/config/config.module';
import { migrate } from 'src/platform/database/migrate';
import { createRootLogger, PinoNestLogger } from 'src/platform/logging/logger';
import { exitGracefullyOnSignal, exitOnConfigError } from 'src/platform/process';
import { WorkerLifecycle } from 'src/platform/worker-platform.module';
import { WorkerModule } from 'src/worker.module';

async function bootstrap() {
  loadEnvFile();
  const config = exitOnConfigError(() => loadConfig(process.env));
  if (config.DB_MIGRATE_ON_START) await migrate(config);
  const app = await NestFactory.createApplicationContext(WorkerModule, {
    logger: new PinoNestLogger(createRootLogger(config, 'worker')),
  });
  exitGracefullyOnSignal(app, config.SHUTDOWN_TIMEOUT_MS + 1500, app.get(WorkerLifecycle).abandonedJobs);
  new Logger('worker').log('worker running');
}

void bootstrap().catch((err: unknown) => {
  console.error('worker failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
