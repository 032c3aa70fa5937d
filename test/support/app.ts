import { INestApplicationContext, ModuleMetadata } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { ClsService } from 'nestjs-cls';
import { AppModule } from 'src/app.module';
import { CatalogueSeed } from 'src/modules/catalogue/catalogue-seed';
import { DemoSeed } from 'src/modules/organisation/demo-seed';
import { Clock } from 'src/platform/clock/clock';
import { AppConfig, loadConfig } from 'src/platform/config/app-config';
import { createHttpApp } from 'src/platform/http/create-http-app';
import { WorkerModule } from 'src/worker.module';
import { workerDatabase } from './db';
import { REDIS_URL, workerId } from './env';

export const DEMO_PASSWORD = 'demo-password-for-tests';

/** The config of this Jest worker: its own database and Redis prefix, quiet logs, generous rate limits. */
export async function testConfig(overrides: Record<string, string> = {}): Promise<AppConfig> {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: await workerDatabase(),
    DB_CREATE_IF_MISSING: 'false',
    DB_MIGRATE_ON_START: 'false',
    REDIS_URL,
    REDIS_PREFIX: `bumtest-w${workerId()}-${process.pid}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    RATE_LIMIT_PER_MINUTE: '100000',
    RATE_LIMIT_LOGIN_PER_MINUTE: '100000',
    DEMO_SEED: 'true',
    DEMO_PASSWORD,
    OUTBOX_POLL_INTERVAL_MS: '50',
    WORKER_HEARTBEAT_INTERVAL_MS: '1000',
    ...overrides,
  });
}

export interface TestAppOptions {
  config?: Record<string, string>;
  /** Extra module metadata (e.g. a controller for a specific test). */
  extra?: ModuleMetadata;
  /** Replaces the clock (e.g. a MovableClock from test/support/clock) so the test can move time. */
  clock?: Clock;
}

/** The real API (Fastify, every global guard, pipe and filter) on this worker's database. */
export async function createTestApp(options: TestAppOptions = {}): Promise<NestFastifyApplication> {
  const config = await testConfig(options.config);
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule, ...(options.extra?.imports ?? [])],
    controllers: options.extra?.controllers ?? [],
    providers: [DemoSeed, ...(options.extra?.providers ?? [])],
  })
    .overrideProvider(AppConfig)
    .useValue(config)
    .overrideProvider(Clock)
    .useValue(options.clock ?? new Clock())
    .compile();
  return createHttpApp(moduleRef, config);
}

/** The worker (relay, consumers, heartbeat) in this process, on this worker's database. */
export async function createTestWorker(overrides: Record<string, string> = {}, clock?: Clock): Promise<INestApplicationContext> {
  const config = await testConfig(overrides);
  const moduleRef = await Test.createTestingModule({ imports: [WorkerModule] })
    .overrideProvider(AppConfig)
    .useValue(config)
    .overrideProvider(Clock)
    .useValue(clock ?? new Clock())
    .compile();
  // An application context, as in src/worker.ts: no HTTP adapter. Note that nestjs-cls's transaction host is
  // process-wide, so an in-process worker and an in-process API on different databases do not mix; tests
  // that need both run the built worker as a child process (test/support/processes.ts).
  return moduleRef.init();
}

/** Seeds the demo organisation (Viborg, one user per role) through the real services. */
export async function seedDemo(app: INestApplicationContext): Promise<void> {
  await app.get(ClsService).run(() => app.get(DemoSeed).run());
}

/** Seeds the service catalogue (standards of DOMAIN.md §2 and rates); needs the demo organisation. */
export async function seedCatalogue(app: INestApplicationContext): Promise<void> {
  await app.get(ClsService).run(() => app.get(CatalogueSeed).run());
}
