import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestApp, DEMO_PASSWORD, seedDemo } from 'test/support/app';
import { ownerClient, resetDatabase } from 'test/support/db';
import { login, request } from 'test/support/http';

describe('notifications', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    await resetDatabase();
    app = await createTestApp();
    await seedDemo(app);
  });
  afterAll(() => app.close());

  it("lists the caller's own notifications and marks one read, never another user's", async () => {
    const caseworker = await login(app, 'caseworker', DEMO_PASSWORD);
    const finance = await login(app, 'finance', DEMO_PASSWORD);
    const me = (await request(app, 'GET', '/api/v1/me', { token: caseworker })).body;
    const db = await ownerClient();
    let id: string;
    try {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO notification (recipient_user_id, kind, subject, body, source_event_id) VALUES ($1, 'test', 'Emne', 'Tekst', 1) RETURNING id`,
        [me.id],
      );
      id = rows[0].id;
    } finally {
      await db.end();
    }
    const unread = await request(app, 'GET', '/api/v1/me/notifications?unread=true', { token: caseworker });
    expect(unread.body.map((n: { id: string }) => n.id)).toEqual([id]);
    expect((await request(app, 'POST', `/api/v1/me/notifications/${id}/read`, { token: finance })).status).toBe(404);
    const read = await request(app, 'POST', `/api/v1/me/notifications/${id}/read`, { token: caseworker });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id, readAt: expect.any(String) });
    expect((await request(app, 'GET', '/api/v1/me/notifications?unread=true', { token: caseworker })).body).toEqual([]);
    expect((await request(app, 'GET', '/api/v1/me/notifications', { token: caseworker })).body).toHaveLength(1);
  });
});
