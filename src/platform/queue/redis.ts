import { Logger } from '@nestjs/common';
import type { RedisOptions as BullRedisOptions } from 'bullmq';
import IORedis, { Redis, RedisOptions } from 'ioredis';
import { AppConfig } from 'src/platform/config/app-config';

export const REDIS = Symbol('REDIS');

/**
 * A Redis connection that never blocks a request: commands fail at once while Redis is down (no offline
 * queue), and the client keeps reconnecting in the background.
 */
export function createRedis(config: Pick<AppConfig, 'REDIS_URL'>, name: string, extra: RedisOptions = {}): Redis {
  const logger = new Logger(`redis:${name}`);
  const redis = new IORedis(config.REDIS_URL, {
    connectionName: `bum-${name}`,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    commandTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    lazyConnect: false,
    ...extra,
  });
  let down = false;
  redis.on('error', (err) => {
    if (!down) logger.warn(`Redis unavailable: ${err.message}`);
    down = true;
  });
  redis.on('ready', () => {
    if (down) logger.log('Redis available again');
    down = false;
  });
  return redis;
}

/** Options for BullMQ connections: BullMQ needs maxRetriesPerRequest null and queues commands while down. */
export function bullConnectionOptions(config: Pick<AppConfig, 'REDIS_URL'>, extra: BullRedisOptions = {}): BullRedisOptions {
  return {
    url: config.REDIS_URL,
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(times * 200, 2000),
    ...extra,
  };
}
