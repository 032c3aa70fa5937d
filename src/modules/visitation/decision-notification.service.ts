import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AccessLogService } from 'src/platform/access-log/access-log.service';
import { Principal } from 'src/platform/auth/principal';
import { Clock } from 'src/platform/clock/clock';
import { addDays, danishDate } from 'src/platform/clock/danish-date';
import { complaintDeadline } from 'src/platform/clock/deadlines';
import { AppConfig } from 'src/platform/config/app-config';
import { conflict, DomainError, ruleViolated } from 'src/platform/errors/domain-error';
import { QualityStandardService } from 'src/modules/catalogue/quality-standard.service';
import { Purpose } from 'src/modules/citizens/citizens.constants';
import { OrgUnitService } from 'src/modules/organisation/org-unit.service';
import { complaintGuidance } from 'src/modules/visitation/complaint-guidance';
import { NotifyDecisionDto } from 'src/modules/visitation/decision.dto';
import { DecisionRow, existingGrantOf, num } from 'src/modules/visitation/decision-row';
import { isUnfavourable } from 'src/modules/visitation/decision-rules';
import { DecisionService } from 'src/modules/visitation/decision.service';
import { GrantRow, GrantService } from 'src/modules/visitation/grant.service';
import { OrderService } from 'src/modules/visitation/order.service';
import { DECIDING_ROLES } from 'src/modules/visitation/visitation.constants';
import { DecisionView } from 'src/modules/visitation/visitation.dto';

/**
 * Meddelelse: the decision goes to the citizen on a date through a channel, which fixes the complaint
 * deadline. In the same transaction a grant is made (grant, change), the changed grant ends the day before
 * (change) or on the given day (termination), and the new grant's order goes to the institution.
 */
@Injectable()
export class DecisionNotificationService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly decisions: DecisionService,
    private readonly standards: QualityStandardService,
    private readonly units: OrgUnitService,
    private readonly grants: GrantService,
    private readonly orders: OrderService,
    private readonly accessLog: AccessLogService,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  @Transactional()
  async notify(principal: Principal, purpose: Purpose, id: string, dto: NotifyDecisionDto): Promise<DecisionView> {
    if (principal.kind !== 'user' || !DECIDING_ROLES.includes(principal.role))
      throw new DomainError('forbidden', 'only caseworkers and panel members notify decisions');
    await this.decisions.requireDecision(principal, id);
    await this.db.query('SELECT 1 FROM decision WHERE id = $1 FOR UPDATE', [id]);
    const d = await this.decisions.requireRow(id);
    if (d.status === 'notified') throw conflict(`the decision was notified on ${d.notified_on}; it never changes`);
    if (d.status === 'awaitingPanel') throw conflict('the decision awaits the visitation panel');
    if (d.panel_required && d.status !== 'approved') throw ruleViolated('the visitation panel must approve the decision before it is notified');

    const today = danishDate(this.clock.now());
    const notifiedOn = dto.notifiedOn ?? today;
    if (notifiedOn > today) throw ruleViolated('notifiedOn cannot be in the future', '/notifiedOn');
    if (notifiedOn < d.decided_on) throw ruleViolated(`a decision is notified on or after the day it is made (${d.decided_on})`, '/notifiedOn');
    if (isUnfavourable({ kind: d.kind, scope: num(d.scope), requestedScope: num(d.requested_scope), validTo: d.valid_to }, existingGrantOf(d)) && !d.hearing_held_on && !d.hearing_exemption_reason)
      throw ruleViolated(
        'the decision is unfavourable to the citizen: record the hearing (partshøring, FVL § 19) or why it is not needed before it is notified',
        '/hearing',
      );

    const { receivedOn, deadline } = complaintDeadline(notifiedOn, dto.channel, this.config.DECISION_LETTER_RECEIPT_WORKING_DAYS);
    let guidance: string | null = null;
    if (d.appealable) {
      const standard = await this.standards.getVersion(d.standard_code, d.standard_version_no);
      const authority = await this.units.authority();
      guidance = complaintGuidance({
        law: standard.legalBasis.law,
        municipalityName: authority.municipalityName,
        authorityName: authority.name,
        authorityAddress: [authority.address.street, [authority.address.postalCode, authority.address.city].filter(Boolean).join(' ')].filter(Boolean).join(', '),
        deadline,
      });
    }
    await this.db.query(
      `UPDATE decision SET status = 'notified', notified_on = $2, notification_channel = $3, received_on = $4,
              complaint_deadline = $5, complaint_guidance = $6, notified_at = now(), notified_by = $7,
              version = version + 1, updated_at = now()
        WHERE id = $1`,
      [id, notifiedOn, dto.channel, receivedOn, d.appealable ? deadline : null, guidance, principal.id],
    );
    await this.accessLog.record(principal, { action: 'update', objectType: 'decision', objectId: id, citizenId: d.citizen_id, purpose });

    if (d.kind === 'change' || d.kind === 'termination') {
      const lastDay = d.kind === 'change' ? addDays(d.valid_from!, -1) : d.valid_to!;
      const ended = await this.grants.end(d.grant_id!, lastDay, d);
      await this.orders.grantEnded(ended, d.id);
      await this.accessLog.record(principal, { action: 'update', objectType: 'grant', objectId: ended.id, citizenId: d.citizen_id, purpose });
    }
    if (d.kind === 'grant' || d.kind === 'change') {
      const grant = await this.grants.insert({
        citizenId: d.citizen_id,
        caseId: d.case_id,
        decisionId: d.id,
        admissionId: null,
        standardId: d.standard_id,
        standardCode: d.standard_code,
        standardVersionId: d.standard_version_id,
        standardVersionNo: d.standard_version_no,
        scope: num(d.scope),
        scopeUnit: d.scope_unit,
        institutionId: d.institution_id!,
        validFrom: d.valid_from!,
        validTo: d.valid_to,
      });
      await this.accessLog.record(principal, { action: 'create', objectType: 'grant', objectId: grant.id, citizenId: d.citizen_id, purpose });
      await this.orders.send(principal, purpose, grant, await this.orderContent(d, grant));
    }
    return this.decisions.view(await this.decisions.requireRow(id));
  }

  /** What the institution receives: the service, scope and period, the purpose and goals (and later the action plan). */
  private async orderContent(d: DecisionRow, grant: GrantRow): Promise<Record<string, unknown>> {
    const view = await this.decisions.view(d);
    return {
      decisionId: d.id,
      kind: d.kind,
      standardCode: grant.standard_code,
      standardVersionNo: grant.standard_version_no,
      legalBasis: d.legal_basis,
      scope: num(grant.scope),
      scopeUnit: grant.scope_unit,
      validFrom: grant.valid_from,
      validTo: grant.valid_to,
      servicePurpose: d.service_purpose,
      goals: view.goals,
      previousGrantId: d.kind === 'change' ? d.grant_id : null,
    };
  }
}
