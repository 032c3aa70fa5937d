import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { loadConfig } from 'src/platform/config/app-config';
import { loadEnvFile } from 'src/platform/config/config.module';
import { migrate } from 'src/platform/database/migrate';
import { exitOnConfigError } from 'src/platform/process';
import { DEMO_ROLES } from 'src/modules/organisation/demo-seed';
import { runDemoSeed } from 'src/scripts/run-seed';

/**
 * `npm start`: one machine, both processes. Creates and migrates the database, seeds the demo data into an
 * empty database (not in production), then runs the API and the worker and forwards signals to them.
 */
async function main() {
  loadEnvFile();
  if (process.env.NODE_ENV !== 'production') process.env.DEMO_SEED ??= 'true';
  const config = exitOnConfigError(() => loadConfig(process.env));
  await migrate(config);
  const seeded = config.DEMO_SEED ? await runDemoSeed() : false;

  const env = { ...process.env, DB_MIGRATE_ON_START: 'false' };
  const children: ChildProcess[] = [
    spawn(process.execPath, [join(__dirname, '..', 'main.js')], { env, stdio: 'inherit' }),
    spawn(process.execPath, [join(__dirname, '..', 'worker.js')], { env, stdio: 'inherit' }),
  ];
  let stopping = false;
  // The first child to fail decides the exit code: the other one stopping cleanly afterwards must not hide it.
  let failure: number | undefined;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill(signal);
  };
  for (const c of children)
    c.on('exit', (code, signal) => {
      if (!stopping) {
        console.error(`a process exited (${signal ?? `code ${code}`}); stopping the other`);
        failure ??= code || 1;
        stop('SIGTERM');
      } else if (code !== 0) failure ??= code ?? 1;
      if (children.every((x) => x.exitCode !== null || x.signalCode !== null)) process.exit(failure ?? 0);
    });
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  const base = `http://localhost:${config.PORT}`;
  const lines = [
    '',
    `  BUM is starting: API ${base}/api/v1`,
    `  API documentation (Swagger UI): ${base}/docs   readiness: ${base}/health/ready`,
  ];
  if (config.DEMO_SEED) {
    lines.push(
      seeded ? '  Demo data: Viborg Kommune seeded.' : '  Demo data: already present.',
      `  Log in as any demo role — username = role, password = "${config.DEMO_PASSWORD}" (DEMO_PASSWORD):`,
      `    roles: ${DEMO_ROLES.join(', ')}`,
      `    curl -s -X POST ${base}/api/v1/auth/token -H 'content-type: application/json' \\`,
      `         -d '{"username":"caseworker","password":"${config.DEMO_PASSWORD}"}'`,
      '    then send  Authorization: Bearer <accessToken>  (or use "Authorize" in /docs)',
    );
  }
  console.log(lines.join('\n') + '\n');
}

void main().catch((err: unknown) => {
  console.error('start failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
