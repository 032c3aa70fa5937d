import { Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { AppConfig } from 'src/platform/config/app-config';
import { REDIS } from 'src/platform/queue/redis';

export type CheckStatus = 'up' | 'down';
export interface Readiness {
  status: 'ready' | 'notReady';
  checks: Record<'database' | 'redis' | 'migrations' | 'worker', { status: CheckStatus; detail?: string }>;
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} timed out`)), ms).unref())]);

@Injectable()
export class HealthService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  async readiness(): Promise<Readiness> {
    const [database, redis, migrations, worker] = await Promise.all([
      this.check(() => this.dataSource.query('SELECT 1')),
      this.check(async () => {
        if (this.redis.status !== 'ready') throw new Error(`connection ${this.redis.status}`);
        await withTimeout(this.redis.ping(), 1000, 'PING');
      }),
      this.check(async () => {
        const rows: { name: string }[] = await this.dataSource.query('SELECT name FROM schema_migration');
        const applied = new Set(rows.map((r) => r.name));
        const pending = this.dataSource.migrations.map((m) => m.name ?? m.constructor.name).filter((n) => !applied.has(n));
        if (pending.length) throw new Error(`pending migrations: ${pending.join(', ')}`);
      }),
      this.check(async () => {
        const rows: { age: number | null }[] = await this.dataSource.query(
          `SELECT extract(epoch FROM now() - max(beat_at))::float8 AS age FROM worker_heartbeat`,
        );
        const age = rows[0]?.age;
        const limit = (this.config.WORKER_HEARTBEAT_INTERVAL_MS * 3) / 1000;
        if (age === null || age === undefined) throw new Error('no worker has reported');
        if (age > limit) throw new Error(`last worker heartbeat ${Math.round(age)} s ago`);
      }),
    ]);
    const checks = { database, redis, migrations, worker };
    const ready = Object.values(checks).every((c) => c.status === 'up');
    return { status: ready ? 'ready' : 'notReady', checks };
  }

  private async check(fn: () => Promise<unknown>): Promise<{ status: CheckStatus; detail?: string }> {
    try {
      await withTimeout(fn(), 2000, 'check');
      return { status: 'up' };
    } catch (err) {
      return { status: 'down', detail: (err as Error).message };
    }
  }
}
