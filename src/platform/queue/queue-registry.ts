import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from 'src/platform/config/app-config';
import { bullConnectionOptions } from 'src/platform/queue/redis';
import { QUEUES, QueueName } from 'src/platform/queue/queues';

/**
 * The BullMQ queues of the typed map, created lazily. Used by the worker only; closed by the worker's
 * lifecycle after the relay has stopped (not in onModuleDestroy, which Nest runs before the shutdown hooks
 * that stop the relay, so a batch in flight would find its queue closed).
 */
@Injectable()
export class QueueRegistry {
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

  /** Closes every queue; bounded, because closing waits on Redis, which may be unreachable right now. */
  async close(timeoutMs = 1000): Promise<void> {
    const queues = [...this.queues.values()];
    this.queues.clear();
    await Promise.race([
      Promise.allSettled(queues.map((q) => q.close())),
      new Promise((resolve) => setTimeout(resolve, timeoutMs).unref()),
    ]);
  }
}
