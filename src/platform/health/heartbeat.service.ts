import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from 'src/platform/config/app-config';

/** The worker's sign of life, in PostgreSQL so that readiness can see it even while Redis is down. */
@Injectable()
export class HeartbeatService {
  private readonly logger = new Logger('heartbeat');
  readonly instanceId = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  private timer?: NodeJS.Timeout;
  private readonly startedAt = new Date();

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  start(): void {
    const beat = () =>
      this.dataSource
        .query(
          `INSERT INTO worker_heartbeat (instance_id, hostname, pid, started_at, beat_at) VALUES ($1, $2, $3, $4, now())
           ON CONFLICT (instance_id) DO UPDATE SET beat_at = now()`,
          [this.instanceId, hostname(), process.pid, this.startedAt],
        )
        .catch((err: Error) => this.logger.warn(`heartbeat failed: ${err.message}`));
    void beat();
    this.timer = setInterval(() => void beat(), this.config.WORKER_HEARTBEAT_INTERVAL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.dataSource
      .query(`DELETE FROM worker_heartbeat WHERE instance_id = $1 OR beat_at < now() - interval '1 day'`, [this.instanceId])
      .catch(() => undefined);
  }
}
