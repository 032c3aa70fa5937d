import { NestFastifyApplication } from '@nestjs/platform-fastify';
import fc from 'fast-check';
import { addDays } from 'src/platform/clock/danish-date';
import { createTestApp, DEMO_PASSWORD, seedCatalogue, seedDemo } from 'test/support/app';
import { draftFields } from 'test/support/catalogue';
import { resetDatabase } from 'test/support/db';
import { login, request } from 'test/support/http';

const EPOCH = '2030-01-01';
const day = (offset: number) => addDays(EPOCH, offset);

/**
 * Property tests against the real database: for random histories of versions and rates, the in-force and
 * effective-rate look-ups agree with a plain model on dates before, inside, at the edges of and after every
 * period.
 */
describe('catalogue look-ups (property-based)', () => {
  let app: NestFastifyApplication;
  let admin: string;
  let institutionId: string;
  let run = 0;

  beforeAll(async () => {
    await resetDatabase();
    app = await createTestApp();
    await seedDemo(app);
    await seedCatalogue(app);
    admin = await login(app, 'admin', DEMO_PASSWORD);
    const page = await request(app, 'GET', '/api/v1/institutions?q=Bost%C3%B8tten%20Handicap', { token: admin });
    institutionId = page.body.items[0].id;
  });
  afterAll(() => app.close());

  /** Probe dates: each boundary, the day before it, and a day far outside. */
  const probes = (boundaries: number[]) => [...new Set(boundaries.flatMap((b) => [b - 1, b, b + 1]).concat([-1000, 5000]))].sort((a, b) => a - b);

  it('in-force: the version whose [validFrom, next validFrom or retirement) holds the date', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 0, max: 2000 }), { minLength: 1, maxLength: 5 }).map((a) => a.sort((x, y) => x - y)),
        fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
        async (starts, retireAfter) => {
          const code = `SEL-85-p${++run}`;
          await request(app, 'POST', '/api/v1/quality-standards', { token: admin, body: { code, title: `Property ${run}` } });
          for (let i = 0; i < starts.length; i++) {
            await request(app, 'POST', `/api/v1/quality-standards/${code}/versions`, { token: admin, body: draftFields() });
            const res = await request(app, 'POST', `/api/v1/quality-standards/${code}/versions/${i + 1}/approve`, {
              token: admin,
              body: { committee: 'SSU', approvedOn: '2026-01-01', reference: `p${run}.${i}`, validFrom: day(starts[i]) },
            });
            expect(res.status).toBe(200);
          }
          const last = starts.length;
          const end = retireAfter === undefined ? undefined : starts[last - 1] + retireAfter;
          if (end !== undefined)
            expect((await request(app, 'POST', `/api/v1/quality-standards/${code}/versions/${last}/retire`, { token: admin, body: { retiredOn: day(end) } })).status).toBe(200);
          const model = (d: number): number | null => {
            if (end !== undefined && d >= end) return null;
            let found: number | null = null;
            starts.forEach((s, i) => {
              if (d >= s) found = i + 1;
            });
            return found;
          };
          for (const d of probes(end === undefined ? starts : [...starts, end])) {
            const res = await request(app, 'GET', `/api/v1/quality-standards/${code}/in-force?date=${day(d)}`, { token: admin });
            const expected = model(d);
            if (expected === null) expect(res.status).toBe(404);
            else expect([res.status, res.body.versionNo]).toEqual([200, expected]);
          }
        },
      ),
      { numRuns: 12 },
    );
  });

  it("effective rate: the institution's rate where one holds the date, else the general one, else none", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: 0, maxLength: 4 }).map((a) => a.sort((x, y) => x - y)),
        fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: 0, maxLength: 4 }).map((a) => a.sort((x, y) => x - y)),
        fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }),
        async (generalStarts, ownStarts, ownLastLength) => {
          const code = `SEL-85-r${++run}`;
          await request(app, 'POST', '/api/v1/quality-standards', { token: admin, body: { code, title: `Rates ${run}`, draft: draftFields() } });
          await request(app, 'POST', `/api/v1/quality-standards/${code}/versions/1/approve`, {
            token: admin,
            body: { committee: 'SSU', approvedOn: '2026-01-01', reference: `r${run}`, validFrom: day(-2000) },
          });
          const price = (kind: 'g' | 'o', i: number) => (kind === 'g' ? 10_000 : 20_000) + i;
          for (const [i, s] of generalStarts.entries())
            expect((await request(app, 'POST', '/api/v1/rates', { token: admin, body: { standard: code, validFrom: day(s), priceOere: price('g', i) } })).status).toBe(201);
          for (const [i, s] of ownStarts.entries()) {
            const lastOne = i === ownStarts.length - 1;
            const body: Record<string, unknown> = { standard: code, institutionId, validFrom: day(s), priceOere: price('o', i) };
            if (lastOne && ownLastLength !== undefined) body.validTo = day(s + ownLastLength);
            expect((await request(app, 'POST', '/api/v1/rates', { token: admin, body })).status).toBe(201);
          }
          const ownEnd = ownStarts.length && ownLastLength !== undefined ? ownStarts[ownStarts.length - 1] + ownLastLength : undefined;
          const pick = (starts: number[], d: number, end?: number) => {
            if (end !== undefined && d >= end) return null;
            let found: number | null = null;
            starts.forEach((s, i) => {
              if (d >= s) found = i;
            });
            return found;
          };
          const boundaries = [...generalStarts, ...ownStarts, ...(ownEnd === undefined ? [] : [ownEnd])];
          for (const d of probes(boundaries.length ? boundaries : [0])) {
            const own = pick(ownStarts, d, ownEnd);
            const general = pick(generalStarts, d);
            const expected = own !== null ? price('o', own) : general !== null ? price('g', general) : null;
            const res = await request(app, 'GET', `/api/v1/rates/effective?standard=${code}&institution=${institutionId}&date=${day(d)}`, { token: admin });
            if (expected === null) expect(res.status).toBe(404);
            else expect([res.status, res.body.priceOere, res.body.source]).toEqual([200, expected, own !== null ? 'institution' : 'general']);
          }
        },
      ),
      { numRuns: 12 },
    );
  });
});
