import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { stringify } from 'yaml';
import { AppModule } from 'src/app.module';
import { swaggerDocument } from 'src/platform/http/create-http-app';

/**
 * Writes (--write) or checks (--check) openapi.yaml from the code. Runs Nest in preview mode: no database
 * or Redis is needed. Keys are sorted so that the file is stable.
 */
async function main() {
  const mode = process.argv.includes('--write') ? 'write' : 'check';
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), { preview: true, logger: false });
  const document = swaggerDocument(app);
  const yaml = stringify(JSON.parse(JSON.stringify(document)), { sortMapEntries: true, lineWidth: 0, aliasDuplicateObjects: false });
  const path = join(process.cwd(), 'openapi.yaml');
  if (mode === 'write') {
    writeFileSync(path, yaml);
    console.log(`wrote ${path}`);
  } else {
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      // missing counts as different
    }
    if (current !== yaml) {
      console.error('openapi.yaml does not match the code: run `npm run build && npm run openapi` and commit it');
      process.exit(1);
    }
    console.log('openapi.yaml matches the code');
  }
  await app.close();
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
