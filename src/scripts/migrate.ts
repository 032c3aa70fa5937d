import 'reflect-metadata';
import { loadConfig } from 'src/platform/config/app-config';
import { loadEnvFile } from 'src/platform/config/config.module';
import { migrate } from 'src/platform/database/migrate';
import { exitOnConfigError } from 'src/platform/process';

/** `npm run migration:run`: creates the database if missing and applies pending migrations. */
async function main() {
  loadEnvFile();
  const config = exitOnConfigError(() => loadConfig(process.env));
  const applied = await migrate(config);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the schema is up to date');
}

void main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
