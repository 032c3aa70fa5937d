import { Injectable, Logger } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { Redis } from 'ioredis';

interface ThrottlerStorageRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

// Counts a hit in a fixed window; once over the limit, the key is blocked for blockDuration.
const SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
local blockTtl = redis.call('PTTL', KEYS[2])
if blockTtl <= 0 and hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  blockTtl = tonumber(ARGV[3])
end
return { hits, ttl, blockTtl }
`;

/**
 * Rate-limit counters in Redis, shared by every API instance. While Redis is down the limiter lets requests
 * through (fail open): the API must keep serving database-backed requests.
 */
@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('throttler');

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    // EVALSHA with a fallback to EVAL: the script is not sent with every request.
    if (!('bumThrottle' in redis)) redis.defineCommand('bumThrottle', { numberOfKeys: 2, lua: SCRIPT });
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const open = { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };
    if (this.redis.status !== 'ready') return open;
    try {
      const base = `${this.prefix}:throttle:${throttlerName}:${key}`;
      const throttle = (this.redis as unknown as { bumThrottle: (...args: (string | number)[]) => Promise<number[]> }).bumThrottle;
      const [hits, ttlMs, blockMs] = await throttle.call(this.redis, `${base}:hits`, `${base}:block`, ttl, limit, blockDuration || ttl);
      return {
        totalHits: hits,
        timeToExpire: Math.ceil(Math.max(ttlMs, 0) / 1000),
        isBlocked: blockMs > 0,
        timeToBlockExpire: Math.ceil(Math.max(blockMs, 0) / 1000),
      };
    } catch (err) {
      this.logger.warn(`rate limiting skipped: ${(err as Error).message}`);
      return open;
    }
  }
}
