import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { Redis } from 'ioredis';
import { AccessLogController } from 'src/platform/access-log/access-log.controller';
import { AuthModule } from 'src/platform/auth/auth.module';
import { PolicyGuard } from 'src/platform/auth/policy.guard';
import { AppConfig } from 'src/platform/config/app-config';
import { ProblemFilter } from 'src/platform/errors/problem.filter';
import { createValidationPipe } from 'src/platform/errors/validation';
import { HealthController } from 'src/platform/health/health.controller';
import { HealthService } from 'src/platform/health/health.service';
import { RedisThrottlerStorage } from 'src/platform/http/redis-throttler.storage';
import { throttlerOptions } from 'src/platform/http/throttling';
import { IdempotencyInterceptor } from 'src/platform/idempotency/idempotency.interceptor';
import { createRedis, REDIS } from 'src/platform/queue/redis';

class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  onApplicationShutdown() {
    this.redis.disconnect();
  }
}

/** The HTTP side of the platform: auth and policies, rate limits, errors, validation, idempotency, health. */
@Global()
@Module({
  imports: [
    AuthModule,
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, REDIS],
      useFactory: (config: AppConfig, redis: Redis) => ({
        ...throttlerOptions(config),
        storage: new RedisThrottlerStorage(redis, config.REDIS_PREFIX),
      }),
    }),
  ],
  controllers: [HealthController, AccessLogController],
  providers: [
    { provide: REDIS, inject: [AppConfig], useFactory: (config: AppConfig) => createRedis(config, 'api') },
    RedisCloser,
    HealthService,
    { provide: APP_FILTER, useClass: ProblemFilter },
    { provide: APP_PIPE, useFactory: createValidationPipe },
    // Order matters: rate limits before authentication, so that floods never reach the password check.
    { provide: APP_GUARD, useClass: ThrottlerGuard },
    { provide: APP_GUARD, useExisting: PolicyGuard },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
  exports: [REDIS],
})
export class ApiPlatformModule {}
