import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { addDays, danishDate } from 'src/platform/clock/danish-date';
import { addWorkingDays } from 'src/platform/clock/deadlines';
import { createTestApp, DEMO_PASSWORD, seedCatalogue, seedDemo } from 'test/support/app';
import { ownerClient, resetDatabase } from 'test/support/db';
import { login, request, TestResponse } from 'test/support/http';
import { expectProblem } from 'test/support/problem';

type Role = 'caseworker' | 'panelMember' | 'admin' | 'finance';
const ROLES: Role[] = ['caseworker', 'panelMember', 'admin', 'finance'];
/** The leaders (tilbudsledere) of three place-based institutions, made for this test. */
type Leader = 'egeLeader' | 'forsorgLeader' | 'kriseLeader';
const LEADERS: [Leader, string][] = [
  ['egeLeader', 'Bofællesskabet Egeskoven'],
  ['forsorgLeader', 'Forsorgscenter Viborg'],
  ['kriseLeader', 'Krisecenter Viborg'],
];

describe('delivery: order inbox, capacity, waiting list, stays, self-referral admissions, occupancy', () => {
  let app: NestFastifyApplication;
  let db: Client;
  const token = {} as Record<Role | Leader, string>;
  const institution = {} as Record<string, string>;
  const today = danishDate(new Date());
  let serial = 4000;
  let key = 0;

  beforeAll(async () => {
    await resetDatabase();
    app = await createTestApp();
    await seedDemo(app);
    await seedCatalogue(app);
    for (const role of ROLES) token[role] = await login(app, role, DEMO_PASSWORD);
    db = await ownerClient();
    for (const r of (await db.query(`SELECT id, name FROM org_unit WHERE kind = 'institution'`)).rows as { id: string; name: string }[]) institution[r.name] = r.id;
    for (const [leader, unit] of LEADERS) {
      const created = await request(app, 'POST', '/api/v1/users', {
        token: token.admin,
        body: { username: leader.toLowerCase(), displayName: `Leder ${unit}`, role: 'institutionManager', orgUnitId: institution[unit], password: DEMO_PASSWORD },
      });
      expect(created.status).toBe(201);
      token[leader] = await login(app, leader.toLowerCase(), DEMO_PASSWORD);
    }
  });
  afterAll(async () => {
    await db.end();
    await app.close();
  });

  const as = (who: Role | Leader) => ({ token: token[who] });
  const ege = () => institution['Bofællesskabet Egeskoven'];
  const setCapacity = async (institutionId: string, capacity: number) => {
    const current = await request(app, 'GET', `/api/v1/institutions/${institutionId}`, as('admin'));
    expect(current.status).toBe(200);
    const patched = await request(app, 'PATCH', `/api/v1/institutions/${institutionId}`, {
      ...as('admin'),
      headers: { 'if-match': String(current.headers.etag) },
      body: { capacity },
    });
    expect(patched.status).toBe(200);
  };

  /** A § 108 place at Egeskoven: citizen, inquiry, draft, panel approval, notification → the order sent to the institution. */
  const placeOrder = async (validFrom = addDays(today, -60)) => {
    const citizen = await request(app, 'POST', '/api/v1/citizens', { ...as('caseworker'), body: { cpr: `010385-${serial++}`, name: 'Åge Østergård' } });
    expect(citizen.status).toBe(201);
    const inquiry = await request(app, 'POST', `/api/v1/citizens/${citizen.body.id}/inquiries`, {
      ...as('caseworker'),
      body: { receivedOn: addDays(today, -70), channel: 'phone', request: 'Ønsker botilbud', standardCode: 'SEL-108' },
    });
    expect(inquiry.status).toBe(201);
    const draft = await request(app, 'POST', `/api/v1/cases/${inquiry.body.caseId}/decisions`, {
      ...as('caseworker'),
      body: {
        kind: 'grant',
        standardCode: 'SEL-108',
        validFrom,
        institutionId: ege(),
        inquiryId: inquiry.body.id,
        reasoning: 'Borgeren har behov for døgndækket støtte.',
        leastInterventionJustification: 'Bostøtte 20 timer om ugen i eget hjem er afprøvet og rækker ikke.',
      },
    });
    expect(draft.status).toBe(201);
    const submitted = await request(app, 'POST', `/api/v1/decisions/${draft.body.id}/submit`, { ...as('caseworker'), headers: { 'if-match': `"${draft.body.version}"` } });
    expect(submitted.body.status).toBe('awaitingPanel');
    expect((await request(app, 'POST', `/api/v1/decisions/${draft.body.id}/panel-review`, { ...as('panelMember'), body: { outcome: 'approved' } })).body.status).toBe('approved');
    expect((await request(app, 'POST', `/api/v1/decisions/${draft.body.id}/notify`, { ...as('caseworker'), body: { channel: 'digitalPost' } })).status).toBe(200);
    const orders = await request(app, 'GET', `/api/v1/orders?citizenId=${citizen.body.id}`, as('caseworker'));
    expect(orders.body.items).toHaveLength(1);
    return { orderId: orders.body.items[0].id as string, citizenId: citizen.body.id as string, version: orders.body.items[0].version as number };
  };
  const accept = (order: { orderId: string; version: number }, body: Record<string, unknown>, who: Role | Leader = 'egeLeader') =>
    request(app, 'POST', `/api/v1/orders/${order.orderId}/accept`, { ...as(who), headers: { 'if-match': `"${order.version}"` }, body });
  const outboxOf = async (type: string, field: string, value: string) =>
    (await db.query(`SELECT payload FROM outbox WHERE type = $1 AND payload->>$2 = $3`, [type, field, value])).rows.map((r: { payload: Record<string, unknown> }) => r.payload);
  const admit = (leader: Leader, unit: string, body: Record<string, unknown>, idempotencyKey = `admission-key-${key++}`) =>
    request(app, 'POST', `/api/v1/institutions/${institution[unit]}/admissions`, { ...as(leader), headers: { 'idempotency-key': idempotencyKey }, body });

  // Shared by the capacity tests, in order.
  const o = {} as Record<'o1' | 'o2' | 'o3' | 'o4', { orderId: string; citizenId: string; version: number }>;
  const stayOf = {} as Record<string, string>;

  it('accepts within capacity (the stay begins on the start date); full → waiting list in priority order, visible to both sides', async () => {
    await setCapacity(ege(), 2);
    for (const name of ['o1', 'o2', 'o3', 'o4'] as const) o[name] = await placeOrder();

    const inbox = await request(app, 'GET', `/api/v1/institutions/${ege()}/orders?status=new`, as('egeLeader'));
    expect(inbox.status).toBe(200);
    expect(inbox.body.items.map((i: { order: { id: string } }) => i.order.id)).toEqual(expect.arrayContaining(Object.values(o).map((x) => x.orderId)));

    for (const name of ['o1', 'o2'] as const) {
      const res = await accept(o[name], { startDate: addDays(today, -30) });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ outcome: 'accepted', order: { status: 'accepted', startDate: addDays(today, -30) }, stay: { source: 'order', admittedOn: addDays(today, -30), dischargedOn: null } });
      expect(res.headers.etag).toBe(`"${res.body.order.version}"`);
      stayOf[name] = res.body.stay.id;
    }
    const full = await accept(o.o3, { startDate: today });
    expect(full.status).toBe(202);
    expect(full.body).toMatchObject({ outcome: 'waitingList', order: { status: 'sent', version: o.o3.version }, stay: null, waitingListEntry: { status: 'waiting', priority: 3, listedOn: today, position: 1 } });
    const urgent = await accept(o.o4, { startDate: today, priority: 1 });
    expect(urgent.status).toBe(202);
    expect(urgent.body.waitingListEntry).toMatchObject({ priority: 1, position: 1 });
    expect(await outboxOf('OrderWaitListed', 'orderId', o.o4.orderId)).toEqual([expect.objectContaining({ priority: 1, position: 1 })]);
    // Nothing of the refused accepts stayed: no OrderAccepted, no stay.
    expect(await outboxOf('OrderAccepted', 'orderId', o.o3.orderId)).toEqual([]);
    expect((await db.query('SELECT count(*)::int AS n FROM stay WHERE order_id = ANY($1::uuid[])', [[o.o3.orderId, o.o4.orderId]])).rows[0].n).toBe(0);

    for (const who of ['egeLeader', 'caseworker'] as const) {
      const list = await request(app, 'GET', `/api/v1/institutions/${ege()}/waiting-list`, as(who));
      expect(list.status).toBe(200);
      expect(list.body.map((e: { orderId: string; position: number }) => [e.orderId, e.position])).toEqual([
        [o.o4.orderId, 1],
        [o.o3.orderId, 2],
      ]);
    }
    const entry = await request(app, 'GET', `/api/v1/orders/${o.o3.orderId}/waiting-list-entry`, as('caseworker'));
    expect(entry.body).toMatchObject({ orderId: o.o3.orderId, position: 2, status: 'waiting' });
    expect((await request(app, 'GET', `/api/v1/orders/${o.o3.orderId}/waiting-list-entry`, as('egeLeader'))).body.position).toBe(2);

    const active = await request(app, 'GET', `/api/v1/institutions/${ege()}/orders?status=active`, as('egeLeader'));
    expect(active.body.items.map((i: { order: { id: string } }) => i.order.id).sort()).toEqual([o.o1.orderId, o.o2.orderId].sort());
    expect(active.body.items.every((i: { stayId: string | null }) => i.stayId !== null)).toBe(true);
  });

  it('a discharge ends the order on the last night and offers the freed place to the first on the list; accepting the offer admits', async () => {
    const discharged = await request(app, 'POST', `/api/v1/stays/${stayOf.o1}/discharge`, { ...as('egeLeader'), body: { dischargedOn: today, destination: 'ownHome' } });
    expect(discharged.status).toBe(200);
    expect(discharged.body).toMatchObject({ dischargedOn: today, dischargeDestination: 'ownHome' });
    const ended = await request(app, 'GET', `/api/v1/orders/${o.o1.orderId}`, as('caseworker'));
    expect(ended.body).toMatchObject({ status: 'ended', endedOn: addDays(today, -1) });
    expect(await outboxOf('OrderEnded', 'orderId', o.o1.orderId)).toHaveLength(1);
    // Recorded once.
    expectProblem(await request(app, 'POST', `/api/v1/stays/${stayOf.o1}/discharge`, { ...as('egeLeader'), body: { dischargedOn: today, destination: 'ownHome' } }), 409);

    const list = (await request(app, 'GET', `/api/v1/institutions/${ege()}/waiting-list`, as('egeLeader'))).body;
    expect(list[0]).toMatchObject({ orderId: o.o4.orderId, status: 'offered', offeredOn: today, position: 1 });
    expect(list[1]).toMatchObject({ orderId: o.o3.orderId, status: 'waiting' });
    expect(await outboxOf('WaitingListPlaceOffered', 'orderId', o.o4.orderId)).toEqual([expect.objectContaining({ institutionId: ege(), freedByStayId: stayOf.o1 })]);

    // The offered place is held: the second on the list cannot take it.
    expect((await accept(o.o3, { startDate: today })).status).toBe(202);
    const admitted = await accept(o.o4, { startDate: today });
    expect(admitted.status).toBe(200);
    expect(admitted.body).toMatchObject({ outcome: 'accepted', stay: { admittedOn: today }, waitingListEntry: { status: 'admitted', closedOn: today, position: null } });
    stayOf.o4 = admitted.body.stay.id;
    expect((await request(app, 'GET', `/api/v1/institutions/${ege()}/stays?at=${today}`, as('egeLeader'))).body.map((s: { id: string }) => s.id).sort()).toEqual(
      [stayOf.o2, stayOf.o4].sort(),
    );
  });

  it('a discharge before the admission is 422; an absence outside the stay is 422, inside it is recorded', async () => {
    const early = await request(app, 'POST', `/api/v1/stays/${stayOf.o2}/discharge`, { ...as('egeLeader'), body: { dischargedOn: addDays(today, -31), destination: 'hospital' } });
    expect(expectProblem(early, 422).errors[0].pointer).toBe('/dischargedOn');
    expectProblem(await request(app, 'POST', `/api/v1/stays/${stayOf.o2}/absences`, { ...as('egeLeader'), body: { fromDate: addDays(today, -40), toDate: addDays(today, -35), reason: 'Ferie' } }), 422);
    const absence = await request(app, 'POST', `/api/v1/stays/${stayOf.o2}/absences`, { ...as('egeLeader'), body: { fromDate: addDays(today, -10), toDate: addDays(today, -8), reason: 'Indlagt' } });
    expect(absence.status).toBe(201);
    expect(absence.body.absences).toEqual([expect.objectContaining({ fromDate: addDays(today, -10), toDate: addDays(today, -8), reason: 'Indlagt' })]);
  });

  it('20 simultaneous accepts for the last place: exactly one stay, 19 on the waiting list', async () => {
    // Taken today: o2 and o4; one place left.
    await setCapacity(ege(), 3);
    const orders = [];
    for (let i = 0; i < 20; i++) orders.push(await placeOrder());
    const results: TestResponse[] = await Promise.all(orders.map((x) => accept(x, { startDate: today })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, ...Array<number>(19).fill(202)]);
    const ids = orders.map((x) => x.orderId);
    expect((await db.query('SELECT count(*)::int AS n FROM stay WHERE order_id = ANY($1::uuid[])', [ids])).rows[0].n).toBe(1);
    expect((await db.query(`SELECT count(*)::int AS n FROM waiting_list_entry WHERE order_id = ANY($1::uuid[]) AND status = 'waiting'`, [ids])).rows[0].n).toBe(19);
    expect((await db.query(`SELECT count(*)::int AS n FROM service_order WHERE id = ANY($1::uuid[]) AND status = 'accepted'`, [ids])).rows[0].n).toBe(1);
    const taken = (await db.query(`SELECT count(*)::int AS n FROM stay WHERE institution_id = $1 AND admitted_on <= $2 AND (discharged_on IS NULL OR discharged_on > $2)`, [ege(), today])).rows[0].n;
    expect(taken).toBe(3);
    const list = (await request(app, 'GET', `/api/v1/institutions/${ege()}/waiting-list`, as('caseworker'))).body as { position: number }[];
    expect(list.map((e) => e.position)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  }, 120_000);

  it('a § 110 self-referral of a NEW citizen: stay, unconfirmed admission at the authority, SelfReferralAdmitted at once; idempotent', async () => {
    const body = { standardCode: 'SEL-110', citizen: { cpr: `020390-${serial++}`, name: 'Bent Hjemløs' } };
    const idempotencyKey = 'admission-new-citizen-1';
    const res = await admit('forsorgLeader', 'Forsorgscenter Viborg', body, idempotencyKey);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      citizenCreated: true,
      stay: { source: 'selfReferral', admittedOn: today, institutionId: institution['Forsorgscenter Viborg'] },
      admission: { status: 'unconfirmed', standardCode: 'SEL-110', admittedOn: today },
      noticeDueBy: addWorkingDays(today, 3),
      noticeOverdue: false,
    });
    expect(res.body.stay.actingMunicipalityNotifiedAt).not.toBeNull();
    const { citizenId } = res.body.stay;
    const again = await admit('forsorgLeader', 'Forsorgscenter Viborg', body, idempotencyKey);
    expect(again.status).toBe(201);
    expect(again.body.stay.id).toBe(res.body.stay.id);
    expect((await db.query('SELECT count(*)::int AS n FROM stay WHERE citizen_id = $1', [citizenId])).rows[0].n).toBe(1);
    expect((await db.query('SELECT count(*)::int AS n FROM citizen WHERE id = $1', [citizenId])).rows[0].n).toBe(1);

    const authority = await request(app, 'GET', `/api/v1/admissions?institutionId=${institution['Forsorgscenter Viborg']}`, as('caseworker'));
    expect(authority.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ id: res.body.admission.id, citizenId, status: 'unconfirmed' })]));
    const notices = await outboxOf('SelfReferralAdmitted', 'stayId', res.body.stay.id);
    expect(notices).toEqual([expect.objectContaining({ citizenId, admissionId: res.body.admission.id, standardCode: 'SEL-110', noticeDueBy: addWorkingDays(today, 3) })]);
    // The leader now sees the citizen (the admission gives access).
    expect((await request(app, 'GET', `/api/v1/citizens/${citizenId}`, as('forsorgLeader'))).status).toBe(200);
    // The citizens API stays the authority's.
    expect((await request(app, 'POST', '/api/v1/citizens', { ...as('forsorgLeader'), body: { cpr: `020390-${serial++}`, name: 'X' } })).status).toBe(403);

    // A back-dated admission registered today: the notice went out after its 3 working days → flagged.
    const late = await admit('forsorgLeader', 'Forsorgscenter Viborg', { standardCode: 'SEL-110', admittedOn: addDays(today, -10), citizen: { cpr: `030390-${serial++}`, name: 'Sen Registrering' } });
    expect(late.status).toBe(201);
    expect(late.body.noticeOverdue).toBe(true);
    const flagged = await request(app, 'GET', `/api/v1/institutions/${institution['Forsorgscenter Viborg']}/admissions?flag=noticeOverdue`, as('caseworker'));
    expect(flagged.body.map((a: { stay: { id: string } }) => a.stay.id)).toEqual([late.body.stay.id]);
  });

  it('overlapping stays of one citizen at one institution are 422', async () => {
    const first = await admit('forsorgLeader', 'Forsorgscenter Viborg', { standardCode: 'SEL-110', admittedOn: addDays(today, -5), citizen: { cpr: `040390-${serial++}`, name: 'Dobbelt Ophold' } });
    expect(first.status).toBe(201);
    const overlap = await admit('forsorgLeader', 'Forsorgscenter Viborg', { standardCode: 'SEL-110', admittedOn: addDays(today, -2), citizenId: first.body.stay.citizenId });
    expect(expectProblem(overlap, 422).errors[0].pointer).toBe('/admittedOn');
  });

  it('staff of institution A reading or writing institution B get 404', async () => {
    const other = institution['Krisecenter Viborg'];
    for (const path of ['stays', 'waiting-list', 'orders', 'admissions', `occupancy?from=${today}&to=${today}`])
      expectProblem(await request(app, 'GET', `/api/v1/institutions/${other}/${path}`, as('forsorgLeader')), 404);
    expectProblem(await admit('forsorgLeader', 'Krisecenter Viborg', { standardCode: 'SEL-109', citizen: { cpr: `050390-${serial++}`, name: 'Y' } }), 404);
    expectProblem(await request(app, 'POST', `/api/v1/stays/${stayOf.o2}/discharge`, { ...as('forsorgLeader'), body: { dischargedOn: today, destination: 'unknown' } }), 404);
    expectProblem(await request(app, 'GET', `/api/v1/stays/${stayOf.o2}`, as('kriseLeader')), 404);
    expectProblem(await accept(o.o3, { startDate: today }, 'kriseLeader'), 404);
    expectProblem(await request(app, 'GET', `/api/v1/orders/${o.o3.orderId}/waiting-list-entry`, as('kriseLeader')), 404);
    const [entry] = (await request(app, 'GET', `/api/v1/institutions/${ege()}/waiting-list`, as('egeLeader'))).body as { id: string }[];
    expectProblem(await request(app, 'POST', `/api/v1/institutions/${ege()}/waiting-list/${entry.id}/remove`, { ...as('kriseLeader'), body: { reason: 'x' } }), 404);
    const removed = await request(app, 'POST', `/api/v1/institutions/${ege()}/waiting-list/${entry.id}/remove`, { ...as('egeLeader'), body: { reason: 'Har fået anden bolig' } });
    expect(removed.body).toMatchObject({ status: 'removed', closedOn: today, position: null });
  });

  it('occupancy per day and month matches the stays, computed by hand', async () => {
    const krise = institution['Krisecenter Viborg'];
    const p = await admit('kriseLeader', 'Krisecenter Viborg', { standardCode: 'SEL-109', admittedOn: addDays(today, -40), citizen: { cpr: `060390-${serial++}`, name: 'Petra' } });
    const q = await admit('kriseLeader', 'Krisecenter Viborg', { standardCode: 'SEL-109', admittedOn: addDays(today, -20), citizen: { cpr: `070390-${serial++}`, name: 'Quinn' } });
    expect([p.status, q.status]).toEqual([201, 201]);
    expect((await request(app, 'POST', `/api/v1/stays/${p.body.stay.id}/discharge`, { ...as('kriseLeader'), body: { dischargedOn: addDays(today, -10), destination: 'ownHome' } })).status).toBe(200);

    const from = addDays(today, -45);
    const res = await request(app, 'GET', `/api/v1/institutions/${krise}/occupancy?from=${from}&to=${today}`, as('finance'));
    expect(res.status).toBe(200);
    // P covers today-40 … today-11 (left on today-10); Q covers today-20 onwards. Capacity 8.
    const expectedDays: { day: string; placesUsed: number }[] = [];
    for (let i = 45; i >= 0; i--) {
      const day = addDays(today, -i);
      const used = (i <= 40 && i > 10 ? 1 : 0) + (i <= 20 ? 1 : 0);
      expectedDays.push({ day, placesUsed: used });
    }
    expect(res.body.capacity).toBe(8);
    expect(res.body.days.map((d: { day: string; placesUsed: number }) => ({ day: d.day, placesUsed: d.placesUsed }))).toEqual(expectedDays);
    expect(res.body.days.find((d: { day: string }) => d.day === addDays(today, -15)).occupancyPercent).toBe(25);
    const months = new Map<string, { days: number; placeDays: number }>();
    for (const d of expectedDays) {
      const m = months.get(d.day.slice(0, 7)) ?? { days: 0, placeDays: 0 };
      months.set(d.day.slice(0, 7), { days: m.days + 1, placeDays: m.placeDays + d.placesUsed });
    }
    expect(res.body.months).toEqual(
      [...months].map(([month, m]) => ({ month, days: m.days, placeDays: m.placeDays, capacityDays: m.days * 8, occupancyPercent: Math.round((m.placeDays * 1000) / (m.days * 8)) / 10 })),
    );
    // The authority sees it too; a bad range is refused.
    expect((await request(app, 'GET', `/api/v1/institutions/${krise}/occupancy?from=${from}&to=${today}`, as('caseworker'))).status).toBe(200);
    expectProblem(await request(app, 'GET', `/api/v1/institutions/${krise}/occupancy?from=${today}&to=${from}`, as('kriseLeader')), 422);
  });

  it('accepting records the responsible employee or team; an employee of another institution is 422 and nothing changes', async () => {
    await setCapacity(ege(), 100);
    const order = await placeOrder();
    const egeLeaderId = (await request(app, 'GET', '/api/v1/me', as('egeLeader'))).body.id;
    // The demo providerStaff works at Bostøtten Handicap, not at Egeskoven.
    const otherStaffId = (await db.query(`SELECT id FROM app_user WHERE username = 'providerStaff'`)).rows[0].id as string;
    const wrong = await accept(order, { startDate: today, responsibleStaffUserId: otherStaffId });
    expect(expectProblem(wrong, 422).errors.map((e) => e.pointer)).toEqual(['/responsibleStaffUserId']);
    expect((await db.query('SELECT status FROM service_order WHERE id = $1', [order.orderId])).rows[0].status).toBe('sent');
    const ok = await accept(order, { startDate: today, responsibleStaffUserId: egeLeaderId, responsibleTeam: 'Team Nord' });
    expect(ok.status).toBe(200);
    expect(ok.body.order).toMatchObject({ status: 'accepted', responsibleStaffUserId: egeLeaderId, responsibleTeam: 'Team Nord' });
    const seen = await request(app, 'GET', `/api/v1/orders/${order.orderId}`, as('caseworker'));
    expect(seen.body).toMatchObject({ responsibleStaffUserId: egeLeaderId, responsibleTeam: 'Team Nord' });
  });

  it('an offered place given up goes to the next on the list; a removed entry can be listed again; a lowered capacity never blocks a discharge', async () => {
    const occupied = async () =>
      (await db.query(`SELECT id FROM stay WHERE institution_id = $1 AND admitted_on <= $2 AND (discharged_on IS NULL OR discharged_on > $2) ORDER BY admitted_on, id`, [ege(), today])).rows as { id: string }[];
    const before = await occupied();
    expect(before.length).toBeGreaterThan(2);
    await setCapacity(ege(), before.length);
    // Nothing is offered or waiting from earlier tests.
    await db.query(`UPDATE waiting_list_entry SET status = 'removed', closed_on = $2 WHERE institution_id = $1 AND status IN ('waiting', 'offered')`, [ege(), today]);
    const p1 = await placeOrder();
    const p2 = await placeOrder();
    const p3 = await placeOrder();
    for (const p of [p1, p2, p3]) expect((await accept(p, { startDate: today })).status).toBe(202);

    expect((await request(app, 'POST', `/api/v1/stays/${before[0].id}/discharge`, { ...as('egeLeader'), body: { dischargedOn: today, destination: 'otherService' } })).status).toBe(200);
    const entryOf = async (orderId: string) => (await request(app, 'GET', `/api/v1/orders/${orderId}/waiting-list-entry`, as('egeLeader'))).body;
    expect(await entryOf(p1.orderId)).toMatchObject({ status: 'offered' });

    // p1 is rejected (the citizen declined): its place is offered to p2.
    const rejected = await request(app, 'POST', `/api/v1/orders/${p1.orderId}/reject`, { ...as('egeLeader'), headers: { 'if-match': `"${p1.version}"` }, body: { reason: 'Borgeren takkede nej' } });
    if (rejected.status !== 200) throw new Error(rejected.text);
    expect(await entryOf(p2.orderId)).toMatchObject({ status: 'offered' });
    expect(await outboxOf('WaitingListPlaceOffered', 'orderId', p2.orderId)).toEqual([expect.objectContaining({ freedByStayId: null })]);

    // p2's entry is removed: the place goes to p3. Then p2 is listed again (no 409).
    const p2Entry = await entryOf(p2.orderId);
    const removed = await request(app, 'POST', `/api/v1/institutions/${ege()}/waiting-list/${p2Entry.id}/remove`, { ...as('egeLeader'), body: { reason: 'Kunne ikke kontaktes' } });
    expect(removed.status).toBe(200);
    expect(await entryOf(p3.orderId)).toMatchObject({ status: 'offered' });
    const relisted = await accept(p2, { startDate: today });
    expect(relisted.status).toBe(202);
    expect(relisted.body.waitingListEntry).toMatchObject({ status: 'waiting' });

    // Capacity lowered below the occupancy: discharges still go through.
    await setCapacity(ege(), 1);
    expect((await request(app, 'POST', `/api/v1/stays/${before[1].id}/discharge`, { ...as('egeLeader'), body: { dischargedOn: today, destination: 'ownHome' } })).status).toBe(200);
    await setCapacity(ege(), 100);
  });

  it('an institution no longer sees an order whose grant ended more than the configured 30 days ago; the authority does', async () => {
    const p = await placeOrder(addDays(today, -100));
    expect((await accept(p, { startDate: addDays(today, -100) })).status).toBe(200);
    const grantId = (await request(app, 'GET', `/api/v1/orders/${p.orderId}`, as('caseworker'))).body.grantId;
    const caseId = (await request(app, 'GET', `/api/v1/citizens/${p.citizenId}/cases`, as('caseworker'))).body[0].id;
    const termination = await request(app, 'POST', `/api/v1/cases/${caseId}/decisions`, {
      ...as('caseworker'),
      body: { kind: 'termination', grantId, validTo: addDays(today, -40), reasoning: 'Borgeren er flyttet.', hearingExemptionReason: 'Borgeren har selv meddelt flytningen.' },
    });
    expect(termination.status).toBe(201);
    expect((await request(app, 'POST', `/api/v1/decisions/${termination.body.id}/notify`, { ...as('caseworker'), body: { channel: 'digitalPost' } })).status).toBe(200);
    expectProblem(await request(app, 'GET', `/api/v1/orders/${p.orderId}`, as('egeLeader')), 404);
    const inbox = (await request(app, 'GET', `/api/v1/institutions/${ege()}/orders?status=ended`, as('egeLeader'))).body.items as { order: { id: string } }[];
    expect(inbox.map((i) => i.order.id)).not.toContain(p.orderId);
    expect((await request(app, 'GET', `/api/v1/orders/${p.orderId}`, as('caseworker'))).status).toBe(200);
  });

  it('a § 110 admission of another municipality\'s citizen waits for the recorded notice; the own municipality\'s counts at once', async () => {
    const municipalities = (await request(app, 'GET', '/api/v1/municipalities', as('admin'))).body as { id: string; name: string; isOwn: boolean }[];
    const silkeborg = municipalities.find((m) => m.name === 'Silkeborg Kommune')!;
    const cpr = `080390-${serial++}`;
    const citizen = await request(app, 'POST', '/api/v1/citizens', {
      ...as('caseworker'),
      body: { cpr, name: 'Fra Silkeborg', actingMunicipalityId: silkeborg.id, payingMunicipalityId: silkeborg.id },
    });
    expect(citizen.status).toBe(201);
    // The shelter does not see the citizen yet: it names them by CPR, which finds the known citizen.
    const res = await admit('forsorgLeader', 'Forsorgscenter Viborg', { standardCode: 'SEL-110', citizen: { cpr, name: 'Fra Silkeborg' } });
    expect(res.status).toBe(201);
    expect(res.body.stay.actingMunicipalityNotifiedAt).toBeNull();
    const notice = await request(app, 'POST', `/api/v1/stays/${res.body.stay.id}/municipality-notice`, { ...as('forsorgLeader'), body: {} });
    expect(notice.status).toBe(200);
    expect(notice.body.actingMunicipalityNotifiedAt).toEqual(expect.any(String));
    expectProblem(await request(app, 'POST', `/api/v1/stays/${res.body.stay.id}/municipality-notice`, { ...as('forsorgLeader'), body: {} }), 409);

    const own = await admit('forsorgLeader', 'Forsorgscenter Viborg', { standardCode: 'SEL-110', citizen: { cpr: `090390-${serial++}`, name: 'Fra Viborg' } });
    expect(own.body.stay.actingMunicipalityNotifiedAt).toEqual(expect.any(String));
  });
});
