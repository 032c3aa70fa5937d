import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from 'src/platform/config/app-config';
import { ConsumerRegistry, JobHandler } from 'src/platform/queue/consumers';

/** Nightly purge of access-log rows older than the retention (default 6 months), as a logged batch. */
@Injectable()
export class AccessLogRetentionJob implements JobHandler, OnModuleInit {
  readonly queue = 'maintenance' as const;
  readonly jobName = 'access-log-retention';
  readonly schedule = '30 2 * * *';
  private readonly logger = new Logger('access-log-retention');

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly registry: ConsumerRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.addJob(this);
  }

  async handle(): Promise<{ purged: number }> {
    return this.purge();
  }

  /** Deletes entries older than the retention through the owner-defined function (the app role cannot DELETE). */
  async purge(): Promise<{ purged: number }> {
    const rows: { purged: string }[] = await this.dataSource.query(
      `SELECT purge_access_log(now() - make_interval(months => $1)) AS purged`,
      [this.config.ACCESS_LOG_RETENTION_MONTHS],
    );
    const purged = Number(rows[0].purged);
    this.logger.log({ msg: 'access log purged', purged, retentionMonths: this.config.ACCESS_LOG_RETENTION_MONTHS });
    return { purged };
  }
}
