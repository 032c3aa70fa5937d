import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AccessLogService } from 'src/platform/access-log/access-log.service';
import { Principal } from 'src/platform/auth/principal';
import { DomainError } from 'src/platform/errors/domain-error';
import { QualityStandardService } from 'src/modules/catalogue/quality-standard.service';
import { Purpose } from 'src/modules/citizens/citizens.constants';
import { CitizenService } from 'src/modules/citizens/citizen.service';
import { maskedCpr } from 'src/modules/citizens/cpr';
import { OrgUnitService } from 'src/modules/organisation/org-unit.service';
import { UserService } from 'src/modules/organisation/user.service';
import { existingGrantOf } from 'src/modules/visitation/decision-row';
import { DecisionLetter, renderDecisionLetter } from 'src/modules/visitation/decision-letter';
import { DecisionService } from 'src/modules/visitation/decision.service';

/** The afgørelse as the citizen receives it (a draft renders marked UDKAST, for review before it is sent). */
@Injectable()
export class DecisionLetterService {
  constructor(
    private readonly decisions: DecisionService,
    private readonly citizens: CitizenService,
    private readonly standards: QualityStandardService,
    private readonly units: OrgUnitService,
    private readonly users: UserService,
    private readonly accessLog: AccessLogService,
  ) {}

  @Transactional()
  async render(principal: Principal, purpose: Purpose, id: string): Promise<Buffer> {
    const row = await this.decisions.requireDecision(principal, id);
    const d = await this.decisions.view(row);
    const citizen = await this.citizens.requireVisible(principal, d.citizenId);
    const standard = await this.standards.getVersion(d.standardCode, d.standardVersionNo);
    const authority = await this.units.authority();
    const institution = d.institutionId ? await this.units.getUnit(d.institutionId).catch(() => null) : null;
    const caseworker = await this.users.get(principal, d.caseworkerId).catch((err: unknown) => {
      if (err instanceof DomainError && err.code === 'notFound') return null;
      throw err;
    });
    const letter: DecisionLetter = {
      municipalityName: authority.municipalityName,
      authorityName: authority.name,
      authorityAddress: authority.address,
      citizen: {
        name: citizen.name,
        pseudonym: citizen.pseudonym,
        maskedCpr: citizen.birth_date ? maskedCpr(citizen.birth_date) : null,
        address: { street: citizen.street, postalCode: citizen.postal_code, city: citizen.city },
      },
      decisionId: d.id,
      kind: d.kind,
      decidedOn: d.decidedOn,
      notifiedOn: d.notifiedOn,
      channel: d.notificationChannel,
      service: { code: d.standardCode, title: standard.title, legalBasisText: d.legalBasis, versionNo: d.standardVersionNo },
      scope: d.scope,
      scopeUnit: d.scopeUnit,
      validFrom: d.validFrom,
      validTo: d.validTo,
      institutionName: institution?.name ?? null,
      previousGrant: existingGrantOf(row),
      servicePurpose: d.servicePurpose,
      goals: d.goals.map((g) => ({ description: g.description, goalType: g.goalType, targetLevel: g.targetLevel })),
      reasoning: d.reasoning,
      leastInterventionJustification: d.leastInterventionJustification,
      hearing: d.hearing.heldOn
        ? { heldOn: d.hearing.heldOn, summary: d.hearing.summary ?? '' }
        : d.hearing.exemptionReason
          ? { exemptionReason: d.hearing.exemptionReason }
          : null,
      complaint: { appealable: d.appealable, guidance: d.complaintGuidance, deadline: d.complaintDeadline, receivedOn: d.receivedOn },
      caseworkerName: caseworker?.displayName ?? null,
    };
    await this.accessLog.record(principal, { action: 'export', objectType: 'decisionLetter', objectId: id, citizenId: d.citizenId, purpose });
    return renderDecisionLetter(letter);
  }
}
