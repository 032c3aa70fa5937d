import { randomUUID } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { FollowUpDueJob } from 'src/modules/visitation/follow-up-due.job';
import { createTestWorker } from 'test/support/app';
import { ownerClient, resetDatabase } from 'test/support/db';
import { REDIS_URL } from 'test/support/env';
import { dropRedisPrefix, uniquePrefix, waitFor } from 'test/support/processes';

jest.setTimeout(60_000);

/** The worker alone (no API in this process): the daily job is scheduled, and FollowUpDue reaches the caseworker. */
describe('follow-ups falling due, in the worker', () => {
  let worker: INestApplicationContext;
  let db: Client;
  const prefix = uniquePrefix('followup');

  beforeAll(async () => {
    await resetDatabase();
    db = await ownerClient();
    worker = await createTestWorker({ REDIS_PREFIX: prefix });
  });
  afterAll(async () => {
    await worker?.close();
    await db?.end();
    await dropRedisPrefix(prefix);
  });

  it('schedules the daily job every morning, Copenhagen time', async () => {
    const maintenance = new Queue('maintenance', { connection: { url: REDIS_URL, maxRetriesPerRequest: null }, prefix });
    try {
      const scheduler = await waitFor(
        'the follow-up job to be scheduled',
        async () => (await maintenance.getJobSchedulers()).find((s) => (s.key ?? s.name) === 'follow-up-due'),
        { timeoutMs: 15_000, intervalMs: 200 },
      );
      expect(scheduler).toMatchObject({ pattern: '15 6 * * *', tz: 'Europe/Copenhagen' });
    } finally {
      await maintenance.close();
    }
    expect(worker.get(FollowUpDueJob).jobName).toBe('follow-up-due');
  });

  it('a committed FollowUpDue event becomes one notification for the responsible caseworker; none without one', async () => {
    const caseworkerId = randomUUID();
    const payload = { followUpId: randomUUID(), grantId: randomUUID(), citizenId: randomUUID(), standardCode: 'SEL-85', dueOn: '2027-05-03' };
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO outbox (type, payload) VALUES ('FollowUpDue', $1), ('FollowUpDue', $2) RETURNING id`,
      [JSON.stringify({ ...payload, caseworkerId }), JSON.stringify({ ...payload, followUpId: randomUUID(), caseworkerId: null })],
    );
    const ids = rows.map((r) => Number(r.id));
    await waitFor(
      'the worker to handle both events',
      async () =>
        (await db.query(`SELECT 1 FROM processed_event WHERE consumer = 'notifications.follow-up-due' AND event_id = ANY($1::bigint[])`, [ids])).rowCount === 2,
      { timeoutMs: 30_000 },
    );
    const notes = await db.query(`SELECT recipient_user_id, kind, subject, body FROM notification WHERE source_event_id = ANY($1::bigint[])`, [ids]);
    expect(notes.rows).toEqual([{ recipient_user_id: caseworkerId, kind: 'followUpDue', subject: 'Opfølgning forfalden: SEL-85', body: expect.stringContaining('3.5.2027') }]);
  });
});
