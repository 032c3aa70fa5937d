import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from 'src/platform/config/app-config';
import { bullConnectionOptions } from 'src/platform/queue/redis';
import { QUEUES, QueueName } from 'src/platform/queue/queues';

/** The BullMQ queues of the typed map, created lazily, closed on shutdown. Used by the worker only. */
@Injectable()
export class QueueRegistry implements OnModuleDestroy {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(private readonly config: AppConfig) {}

  get(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: bullConnectionOptions(this.config, { enableOfflineQueue: false }),
        prefix: this.config.REDIS_PREFIX,
        defaultJobOptions: QUEUES[name].jobOptions,
      });
      queue.on('error', () => undefined); // connection errors surface as failed adds; the relay retries
      this.queues.set(name, queue);
    }
    return queue;
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}
