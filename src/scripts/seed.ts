import 'reflect-metadata';
import { loadConfig } from 'src/platform/config/app-config';
import { loadEnvFile } from 'src/platform/config/config.module';
import { migrate } from 'src/platform/database/migrate';
import { exitOnConfigError } from 'src/platform/process';
import { runDemoSeed } from 'src/scripts/run-seed';

/** `npm run seed`: migrate, then seed the demo organisation and users into an empty database. */
async function main() {
  loadEnvFile();
  process.env.DEMO_SEED ??= 'true';
  const config = exitOnConfigError(() => loadConfig(process.env));
  await migrate(config);
  console.log((await runDemoSeed()) ? 'demo data seeded' : 'the database already has data; nothing seeded');
}

void main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
