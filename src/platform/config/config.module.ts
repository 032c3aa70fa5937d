import { existsSync } from 'node:fs';
import { Global, Module } from '@nestjs/common';
import { AppConfig, loadConfig } from 'src/platform/config/app-config';

/** Reads `.env` (if present) into the environment without overriding what is already set. */
export function loadEnvFile(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

@Global()
@Module({
  providers: [{ provide: AppConfig, useFactory: () => loadConfig(process.env) }],
  exports: [AppConfig],
})
export class ConfigModule {}
