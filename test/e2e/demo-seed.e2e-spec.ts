import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ClsService } from 'nestjs-cls';
import { VisitationDemoSeed } from 'src/modules/visitation/visitation-demo-seed';
import { createTestApp, DEMO_PASSWORD, seedCatalogue, seedDemo } from 'test/support/app';
import { resetDatabase } from 'test/support/db';
import { login, request } from 'test/support/http';

/** The demo cases `npm start` seeds: each demo user finds something on their list. */
describe('demo cases', () => {
  let app: NestFastifyApplication;
  let first: boolean;

  beforeAll(async () => {
    await resetDatabase();
    app = await createTestApp();
    await seedDemo(app);
    await seedCatalogue(app);
    first = await app.get(ClsService).run(() => app.get(VisitationDemoSeed).run());
  });
  afterAll(() => app.close());

  it('seeds once, through the services, and every demo user has work', async () => {
    expect(first).toBe(true);
    expect(await app.get(ClsService).run(() => app.get(VisitationDemoSeed).run())).toBe(false);

    const caseworker = await login(app, 'caseworker', DEMO_PASSWORD);
    const list = (await request(app, 'GET', '/api/v1/work-list', { token: caseworker })).body;
    expect(list.openCases.map((c: { citizenName: string }) => c.citizenName).sort()).toEqual(['Birthe Ærenlund', 'Jens Søndergaard', 'Karen Lund', 'Ole Kjær']);
    expect(list.inquiriesDue).toEqual(expect.arrayContaining([expect.objectContaining({ citizenName: 'Karen Lund', overdue: true })]));
    expect(list.awaitingPanel).toEqual([expect.objectContaining({ citizenName: 'Ole Kjær', standardCode: 'SEL-108' })]);

    const panel = await login(app, 'panelMember', DEMO_PASSWORD);
    expect((await request(app, 'GET', '/api/v1/work-list', { token: panel })).body.panelQueue).toHaveLength(1);

    const staff = await login(app, 'providerStaff', DEMO_PASSWORD);
    const inbox = (await request(app, 'GET', '/api/v1/orders?status=sent', { token: staff })).body;
    expect(inbox.items).toEqual([expect.objectContaining({ content: expect.objectContaining({ standardCode: 'SEL-85', scope: 5 }) })]);
  });
});
