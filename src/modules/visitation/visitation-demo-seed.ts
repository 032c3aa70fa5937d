import { Inject, Injectable, Logger } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { IDENTITY_STORE, IdentityStore, Principal } from 'src/platform/auth/principal';
import { Clock } from 'src/platform/clock/clock';
import { addDays, danishDate } from 'src/platform/clock/danish-date';
import { AppConfig } from 'src/platform/config/app-config';
import { CaseService } from 'src/modules/citizens/case.service';
import { CitizenService } from 'src/modules/citizens/citizen.service';
import { VisitService } from 'src/modules/citizens/visit.service';
import { OrgUnitService } from 'src/modules/organisation/org-unit.service';
import { AssessmentService } from 'src/modules/visitation/assessment.service';
import { DecisionNotificationService } from 'src/modules/visitation/decision-notification.service';
import { DecisionService } from 'src/modules/visitation/decision.service';
import { ACTIVITY_THEMES } from 'src/modules/visitation/visitation.constants';

/**
 * Demo cases for the demo users (never in production), made through the services as the demo caseworker:
 * a granted bostøtte whose order waits in Bostøtten Handicap's inbox, a § 108 place with the panel, an
 * inquiry past its deadline and an assessment in progress. Only when there are no citizens yet.
 */
@Injectable()
export class VisitationDemoSeed {
  private readonly logger = new Logger('seed');

  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    @Inject(IDENTITY_STORE) private readonly identities: IdentityStore,
    private readonly units: OrgUnitService,
    private readonly citizens: CitizenService,
    private readonly cases: CaseService,
    private readonly visits: VisitService,
    private readonly assessments: AssessmentService,
    private readonly decisions: DecisionService,
    private readonly notifications: DecisionNotificationService,
  ) {}

  @Transactional()
  async run(): Promise<boolean> {
    if (this.config.NODE_ENV === 'production') throw new Error('demo data is never seeded in production');
    await this.txHost.tx.query('SELECT pg_advisory_xact_lock(7417004)');
    const [{ n }]: { n: number }[] = await this.txHost.tx.query('SELECT count(*)::int AS n FROM citizen');
    if (n > 0) return false;
    const [user]: { id: string }[] = await this.txHost.tx.query(`SELECT id FROM app_user WHERE username = 'caseworker'`);
    const caseworker = user ? await this.identities.principalForUser(user.id) : null;
    if (!caseworker) return false;
    const institutions = new Map((await this.units.listInstitutions({ limit: 200 })).items.map((i) => [i.name, i.id]));
    const today = danishDate(this.clock.now());

    const birthe = await this.assessedCase(caseworker, '120488-1234', 'Birthe Ærenlund', 'SEL-85', addDays(today, -30), 'moderate');
    const grant = await this.decisions.create(caseworker, 'administration', birthe.caseId, {
      kind: 'grant',
      standardCode: 'SEL-85',
      inquiryId: birthe.inquiryId,
      assessmentId: birthe.assessmentId,
      scope: 5,
      validFrom: addDays(today, 7),
      institutionId: institutions.get('Bostøtten Handicap'),
      servicePurpose: 'At Birthe kan blive boende i egen bolig og klare sin økonomi.',
      goals: [{ description: 'Laver selv madplan og indkøbsliste hver uge', primaryTheme: 'practicalTasks', secondaryThemes: ['communityLife'], targetLevel: 1, goalType: 'develop' }],
      reasoning: 'Udredningen viser moderat nedsat funktionsevne i praktiske opgaver og samfundsliv. Støtte 5 timer om ugen i eget hjem dækker behovet (serviceloven § 85).',
    });
    await this.notifications.notify(caseworker, 'administration', grant.id, { channel: 'digitalPost', notifiedOn: today });

    const ole = await this.assessedCase(caseworker, '051170-4321', 'Ole Kjær', 'SEL-108', addDays(today, -40), 'total');
    const place = await this.decisions.create(caseworker, 'administration', ole.caseId, {
      kind: 'grant',
      standardCode: 'SEL-108',
      inquiryId: ole.inquiryId,
      assessmentId: ole.assessmentId,
      validFrom: addDays(today, 30),
      institutionId: institutions.get('Bofællesskabet Egeskoven'),
      reasoning: 'Ole har brug for omfattende hjælp døgnet rundt; udredningen viser svære begrænsninger i egenomsorg og mobilitet.',
      leastInterventionJustification: 'Bostøtte efter § 85 i 20 timer om ugen og aflastning efter § 84 er afprøvet og dækker ikke behovet om natten.',
    });
    await this.decisions.submit(caseworker, 'administration', place.id, place.version);

    const karen = await this.citizens.create(caseworker, 'administration', { cpr: '030390-1111', name: 'Karen Lund', address: { street: 'Vestergade 10', postalCode: '8800', city: 'Viborg' } });
    await this.cases.createInquiry(caseworker, 'administration', karen.id, { receivedOn: addDays(today, -60), channel: 'letter', request: 'Ansøger om bostøtte', standardCode: 'SEL-85' });

    const jens = await this.citizens.create(caseworker, 'administration', { cpr: '150595-2345', name: 'Jens Søndergaard', address: { street: 'Sct. Mogens Gade 4', postalCode: '8800', city: 'Viborg' } });
    const inquiry = await this.cases.createInquiry(caseworker, 'administration', jens.id, { receivedOn: addDays(today, -5), channel: 'referral', request: 'Henvist fra psykiatrien: ønsker aktivitetstilbud', standardCode: 'SEL-104' });
    await this.assessments.create(caseworker, 'administration', inquiry.caseId, {
      background: 'Henvisning fra Regionspsykiatrien.',
      sections: [{ section: 'relations', level: 3, description: 'Har ingen faste relationer uden for familien.', sources: ['citizen', 'relative'] }],
    });
    this.logger.log('seeded demo cases: 4 citizens, a granted bostøtte with an order, a § 108 place with the panel');
    return true;
  }

  private async assessedCase(principal: Principal, cpr: string, name: string, standardCode: string, receivedOn: string, need: 'moderate' | 'total') {
    const citizen = await this.citizens.create(principal, 'administration', { cpr, name, address: { street: 'Ådalen 3', postalCode: '8800', city: 'Viborg' } });
    const inquiry = await this.cases.createInquiry(principal, 'administration', citizen.id, { receivedOn, channel: 'phone', request: 'Pårørende ringer: har svært ved at klare sig', standardCode });
    const start = new Date(`${addDays(receivedOn, 7)}T10:00:00+01:00`);
    const visit = await this.visits.create(principal, 'administration', inquiry.caseId, {
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 3600_000).toISOString(),
      place: 'Borgerens hjem',
      participants: ['borgeren', 'pårørende'],
    });
    await this.visits.hold(principal, 'administration', visit.id, { notes: 'Borgeren viste rundt og fortalte om sin hverdag.' });
    const draft = await this.assessments.create(principal, 'administration', inquiry.caseId, {
      background: 'Henvendelse fra pårørende.',
      sections: ACTIVITY_THEMES.map((section, i) => ({ section, level: need === 'total' ? 3 + (i % 2) : 1 + (i % 2), description: `Iagttaget ved hjemmebesøg (${section}).`, sources: ['citizen', 'caseworker'] })),
    });
    const filled = await this.assessments.update(principal, 'administration', draft.id, draft.version, {
      assessedOn: addDays(receivedOn, 10),
      citizenWishes: 'Jeg vil gerne klare mig selv så meget som muligt.',
      supportNeeds: [{ standardCode, level: need }],
    });
    await this.assessments.complete(principal, 'administration', draft.id, filled.version);
    return { citizenId: citizen.id, caseId: inquiry.caseId, inquiryId: inquiry.id, assessmentId: draft.id };
  }
}
