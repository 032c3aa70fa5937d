import { randomUUID } from 'node:crypto';
import { Controller, Get } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Redis } from 'ioredis';
import { REDIS } from 'src/platform/queue/redis';
import { Policy, Public } from 'src/platform/auth/policy.decorator';
import { createTestApp, DEMO_PASSWORD, seedDemo } from 'test/support/app';
import { resetDatabase } from 'test/support/db';
import { countRows } from 'test/support/db-fingerprint';
import { login, request } from 'test/support/http';
import { expectProblem } from 'test/support/problem';

@Controller('api/v1/test-unguarded')
class UnguardedTestController {
  @Get('open')
  @Public()
  open() {
    return { ok: true };
  }

  @Get('forgotten')
  forgotten() {
    return { secret: true };
  }
}

@Controller('api/v1/test-class-policy')
@Policy({ roles: ['admin'] })
class ClassPolicyTestController {
  @Get()
  covered() {
    return { ok: true };
  }
}

/** Guards around every route: the log-in rate limit, and the start-up check that every route has a policy. */
describe('rate limits and route policies', () => {
  describe('log-in rate limit', () => {
    let app: NestFastifyApplication;

    beforeAll(async () => {
      await resetDatabase();
      // A fresh Redis prefix: counters of other apps in this process must not count here.
      app = await createTestApp({
        config: { RATE_LIMIT_LOGIN_PER_MINUTE: '3', REDIS_PREFIX: `bumtest-rl-${randomUUID()}` },
      });
      await seedDemo(app);
    });
    afterAll(() => app.close());

    const loginFrom = (remoteAddress: string, password: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/auth/token',
        remoteAddress,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ username: 'caseworker', password }),
      });

    it('the fourth log-in attempt within a minute from one address is 429, before the password is checked', async () => {
      const first = await request(app, 'POST', '/api/v1/auth/token', {
        body: { username: 'caseworker', password: DEMO_PASSWORD },
      });
      expect(first.status).toBe(200);
      const token = first.body.accessToken as string;
      for (let i = 0; i < 2; i++)
        expect(
          (
            await request(app, 'POST', '/api/v1/auth/token', {
              body: { username: 'caseworker', password: 'wrong-one' },
            })
          ).status,
        ).toBe(401);
      const attemptsBefore = await countRows('login_attempt');

      const fourth = await request(app, 'POST', '/api/v1/auth/token', {
        body: { username: 'caseworker', password: DEMO_PASSWORD },
      });
      expect(expectProblem(fourth, 429, 'rateLimited').detail).toMatch(/too many/i);
      expect(Number(fourth.headers['retry-after'])).toBeGreaterThan(0);
      expect(fourth.body.accessToken).toBeUndefined();
      // Refused before the password check: not even recorded as an attempt.
      expect(await countRows('login_attempt')).toBe(attemptsBefore);

      // The rest of the API is not behind the log-in limiter.
      for (let i = 0; i < 10; i++)
        expect((await request(app, 'GET', '/api/v1/me', { token })).status).toBe(200);
      expect((await request(app, 'GET', '/api/v1/institutions', { token })).status).toBe(200);
    });

    it('the limit is per client address', async () => {
      const limitedAgain = await loginFrom('127.0.0.1', DEMO_PASSWORD);
      expect(limitedAgain.statusCode).toBe(429);
      const elsewhere = await loginFrom('10.20.30.40', DEMO_PASSWORD);
      expect(elsewhere.statusCode).toBe(200);
    });
  });

  describe('the API-wide rate limit', () => {
    let app: NestFastifyApplication;
    beforeAll(async () => {
      app = await createTestApp({
        config: { RATE_LIMIT_PER_MINUTE: '5', REDIS_PREFIX: `bumtest-rl-${randomUUID()}` },
      });
    });
    afterAll(() => app.close());

    it('answers 429 problem+json once a client passes it', async () => {
      // Until its Redis connection is up the limiter fails open (counts nothing): wait for it, so that the
      // first requests count on a loaded machine too.
      const redis = app.get<Redis>(REDIS);
      for (let i = 0; i < 100 && redis.status !== 'ready'; i++) await new Promise((r) => setTimeout(r, 50));
      expect(redis.status).toBe('ready');
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await request(app, 'GET', '/api/v1/me')).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
      expectProblem(await request(app, 'GET', '/api/v1/me'), 429, 'rateLimited');
    });
  });

  describe('start-up check', () => {
    it('an app with a route that declares no policy refuses to start, naming the route', async () => {
      const start = createTestApp({ extra: { controllers: [UnguardedTestController] } });
      await expect(start).rejects.toThrow(/UnguardedTestController\.forgotten/);
      await expect(start).rejects.not.toThrow(/UnguardedTestController\.open/);
    });

    it('a policy on the controller covers its routes', async () => {
      const app = await createTestApp({ extra: { controllers: [ClassPolicyTestController] } });
      try {
        await resetDatabase();
        await seedDemo(app);
        const admin = await login(app, 'admin', DEMO_PASSWORD);
        expect((await request(app, 'GET', '/api/v1/test-class-policy', { token: admin })).status).toBe(200);
        const caseworker = await login(app, 'caseworker', DEMO_PASSWORD);
        expectProblem(
          await request(app, 'GET', '/api/v1/test-class-policy', { token: caseworker }),
          403,
          'forbidden',
        );
        expectProblem(await request(app, 'GET', '/api/v1/test-class-policy'), 401, 'unauthenticated');
      } finally {
        await app.close();
      }
    });
  });
});
