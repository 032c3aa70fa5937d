import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { AppModule } from 'src/app.module';
import { loadConfig } from 'src/platform/config/app-config';
import { loadEnvFile } from 'src/platform/config/config.module';
import { migrate } from 'src/platform/database/migrate';
import { createHttpApp } from 'src/platform/http/create-http-app';
import { exitGracefullyOnSignal, exitOnConfigError } from 'src/platform/process';

async function bootstrap() {
  loadEnvFile();
  const config = exitOnConfigError(() => loadConfig(process.env));
  if (config.DB_MIGRATE_ON_START) await migrate(config);
  const app = await createHttpApp(AppModule, config);
  exitGracefullyOnSignal(app, config.SHUTDOWN_TIMEOUT_MS + 1500);
  await app.listen({ port: config.PORT, host: config.HOST });
  const base = `http://localhost:${config.PORT}`;
  new Logger('api').log(`API listening on ${base}/api/v1 — docs at ${base}/docs`);
}

void bootstrap().catch((err: unknown) => {
  console.error('API failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
