import { Global, Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AccessLogRetentionJob } from 'src/platform/access-log/access-log-retention.job';
import { AppConfig } from 'src/platform/config/app-config';
import { HeartbeatService } from 'src/platform/health/heartbeat.service';
import { OutboxRelay } from 'src/platform/outbox/outbox-relay.service';
import { ConsumerRegistry } from 'src/platform/queue/consumers';
import { QueueRegistry } from 'src/platform/queue/queue-registry';
import { WorkerRuntime } from 'src/platform/queue/worker-runtime.service';

/** Starts the worker's parts once every module registered its consumers, and stops them in order. */
@Injectable()
export class WorkerLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('worker');
  private markAbandoned!: () => void;
  /**
   * Settles when shutdown had to abandon running jobs. Their handlers still hold database connections, so
   * closing the pool would wait for them until the hard deadline: the process should exit at once instead.
   */
  readonly abandonedJobs = new Promise<void>((resolve) => (this.markAbandoned = resolve));

  constructor(
    private readonly relay: OutboxRelay,
    private readonly runtime: WorkerRuntime,
    private readonly heartbeat: HeartbeatService,
    private readonly queues: QueueRegistry,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runtime.start();
    this.relay.start();
    this.heartbeat.start();
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    this.logger.log(`worker stopping${signal ? ` (${signal})` : ''}`);
    await this.relay.stop();
    const abandoned = await this.runtime.stop(this.config.SHUTDOWN_TIMEOUT_MS);
    await this.heartbeat.stop();
    await this.queues.close();
    if (abandoned) this.markAbandoned();
  }
}

/** The worker side of the platform: outbox relay, BullMQ workers, schedules, heartbeat. */
@Global()
@Module({
  providers: [QueueRegistry, ConsumerRegistry, WorkerRuntime, OutboxRelay, HeartbeatService, AccessLogRetentionJob, WorkerLifecycle],
  exports: [ConsumerRegistry, QueueRegistry, OutboxRelay, AccessLogRetentionJob, HeartbeatService],
})
export class WorkerPlatformModule {}
