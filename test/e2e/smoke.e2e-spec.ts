import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { resetDatabase } from 'test/support/db';
import { createTestApp, DEMO_PASSWORD, seedDemo } from 'test/support/app';
import { login, request } from 'test/support/http';

describe('smoke', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    await resetDatabase();
    app = await createTestApp();
    await seedDemo(app);
  });
  afterAll(() => app.close());

  it('logs in and reads the caller', async () => {
    const token = await login(app, 'caseworker', DEMO_PASSWORD);
    const me = await request(app, 'GET', '/api/v1/me', { token });
    expect(me.status).toBe(200);
    expect(me.body.role).toBe('caseworker');
  });
});
