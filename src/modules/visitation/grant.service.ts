import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AccessLogService } from 'src/platform/access-log/access-log.service';
import { Principal } from 'src/platform/auth/principal';
import { Clock } from 'src/platform/clock/clock';
import { danishDate } from 'src/platform/clock/danish-date';
import { rowsOf } from 'src/platform/database/rows';
import { DomainError, notFound, ruleViolated } from 'src/platform/errors/domain-error';
import { RateService } from 'src/modules/catalogue/rate.service';
import { Purpose } from 'src/modules/citizens/citizens.constants';
import { CitizenService } from 'src/modules/citizens/citizen.service';
import { DecisionRow, num } from 'src/modules/visitation/decision-row';
import { FollowUpService } from 'src/modules/visitation/follow-up.service';
import { INSTITUTION_ROLES, VISITATION_ROLES } from 'src/modules/visitation/visitation.constants';
import { GrantView } from 'src/modules/visitation/visitation.dto';

export interface GrantRow {
  id: string;
  citizen_id: string;
  case_id: string | null;
  decision_id: string | null;
  admission_id: string | null;
  standard_id: string;
  standard_code: string;
  standard_version_id: string;
  standard_version_no: number;
  scope: string | null;
  scope_unit: string;
  institution_id: string;
  rate_id: string | null;
  valid_from: string;
  valid_to: string | null;
  ended_by_decision_id: string | null;
  created_at: Date;
  version: number;
}

const SELECT_GRANT = `
  SELECT g.id, g.citizen_id, g.case_id, g.decision_id, g.admission_id, g.standard_id, g.standard_code, g.standard_version_id,
         g.standard_version_no, g.scope, g.scope_unit, g.institution_id, g.rate_id, g.valid_from::text AS valid_from,
         g.valid_to::text AS valid_to, g.ended_by_decision_id, g.created_at, g.version
    FROM citizen_grant g`;

export interface NewGrant {
  citizenId: string;
  caseId: string | null;
  decisionId: string | null;
  admissionId: string | null;
  standardId: string;
  standardCode: string;
  standardVersionId: string;
  standardVersionNo: number;
  scope: number | null;
  scopeUnit: string;
  institutionId: string;
  validFrom: string;
  validTo: string | null;
}

/**
 * Bevillinger. Made by notified decisions (and confirmed self-referral admissions), ended by change and
 * termination decisions, never deleted: a citizen's grants are their full history.
 */
@Injectable()
export class GrantService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly clock: Clock,
    private readonly citizens: CitizenService,
    private readonly rates: RateService,
    private readonly accessLog: AccessLogService,
    private readonly followUps: FollowUpService,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  /** The grant a change or termination acts on: one of the citizen's, else 422 at /grantId. */
  async forDecision(citizenId: string, grantId: string) {
    const [g]: GrantRow[] = await this.db.query(`${SELECT_GRANT} WHERE g.id = $1 AND g.citizen_id = $2`, [grantId, citizenId]);
    if (!g) throw ruleViolated("the grant is not one of the citizen's grants", '/grantId');
    return { id: g.id, standardCode: g.standard_code, scope: num(g.scope), validFrom: g.valid_from, validTo: g.valid_to, institutionId: g.institution_id };
  }

  /**
   * Inserts a grant with the rate in effect on its first day (none yet is allowed: finance may price it later),
   * and its first scheduled follow-up when the standard has a follow-up interval.
   */
  async insert(g: NewGrant): Promise<GrantRow> {
    const rateId = await this.rates
      .effective(g.standardCode, g.institutionId, g.validFrom)
      .then((r) => r.id)
      .catch((err: unknown) => {
        if (err instanceof DomainError && err.code === 'notFound') return null;
        throw err;
      });
    const [{ id }]: { id: string }[] = await this.db.query(
      `INSERT INTO citizen_grant (citizen_id, case_id, decision_id, admission_id, standard_id, standard_code, standard_version_id,
                                  standard_version_no, scope, scope_unit, institution_id, rate_id, valid_from, valid_to, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1) RETURNING id`,
      [
        g.citizenId,
        g.caseId,
        g.decisionId,
        g.admissionId,
        g.standardId,
        g.standardCode,
        g.standardVersionId,
        g.standardVersionNo,
        g.scope,
        g.scopeUnit,
        g.institutionId,
        rateId,
        g.validFrom,
        g.validTo,
      ],
    );
    const grant = await this.row(id);
    await this.followUps.scheduleFirst(grant);
    return grant;
  }

  /** Brings a grant's end forward to `lastDay` for a change or termination decision (locks the grant first). */
  async end(grantId: string, lastDay: string, decision: DecisionRow): Promise<GrantRow> {
    const [g]: GrantRow[] = await this.db.query(`${SELECT_GRANT} WHERE g.id = $1 FOR UPDATE`, [grantId]);
    if (!g) throw notFound('grant');
    if (lastDay < g.valid_from || (g.valid_to !== null && lastDay > g.valid_to))
      throw ruleViolated(`the grant runs ${g.valid_from}–${g.valid_to ?? ''}: it cannot end on ${lastDay}`, decision.kind === 'termination' ? '/validTo' : '/validFrom');
    const [updated] = rowsOf<{ id: string }>(
      await this.db.query(
        `UPDATE citizen_grant SET valid_to = $2, ended_by_decision_id = $3, version = version + 1, updated_at = now() WHERE id = $1 RETURNING id`,
        [grantId, lastDay, decision.id],
      ),
    );
    const ended = await this.row(updated.id);
    await this.followUps.grantEnded(ended);
    return ended;
  }

  /**
   * A confirmed self-referral stay ended: the grant's last day becomes the last night of the stay. Only the end
   * moves, and only forward (the grant's trigger refuses anything else); null when the admission has no grant.
   */
  async endAtDischarge(admissionId: string, lastDay: string): Promise<GrantRow | null> {
    const [g]: GrantRow[] = await this.db.query(`${SELECT_GRANT} WHERE g.admission_id = $1 FOR UPDATE`, [admissionId]);
    if (!g) return null;
    if (lastDay < g.valid_from || (g.valid_to !== null && lastDay > g.valid_to))
      throw ruleViolated(`the grant runs ${g.valid_from}–${g.valid_to ?? ''}: it cannot end on ${lastDay}`, '/dischargedOn');
    const [updated] = rowsOf<{ id: string }>(
      await this.db.query(`UPDATE citizen_grant SET valid_to = $2, version = version + 1, updated_at = now() WHERE id = $1 RETURNING id`, [g.id, lastDay]),
    );
    const ended = await this.row(updated.id);
    await this.followUps.grantEnded(ended);
    return ended;
  }

  @Transactional()
  async listForCitizen(principal: Principal, purpose: Purpose, citizenId: string): Promise<GrantView[]> {
    if (!VISITATION_ROLES.includes(principal.role)) throw notFound('citizen');
    await this.citizens.requireVisible(principal, citizenId);
    const rows: GrantRow[] = await this.db.query(`${SELECT_GRANT} WHERE g.citizen_id = $1 ORDER BY g.valid_from DESC, g.created_at DESC`, [citizenId]);
    await this.accessLog.record(principal, { action: 'read', objectType: 'grant', citizenId, purpose });
    return rows.map((r) => this.view(r));
  }

  /** One grant: the authority sees every grant; an institution only its own. */
  @Transactional()
  async get(principal: Principal, purpose: Purpose, id: string): Promise<GrantView> {
    const [row]: GrantRow[] = await this.db.query(`${SELECT_GRANT} WHERE g.id = $1`, [id]);
    const allowed =
      row &&
      (VISITATION_ROLES.includes(principal.role) || (INSTITUTION_ROLES.includes(principal.role) && principal.institutionId === row.institution_id));
    if (!allowed) throw notFound('grant');
    await this.citizens.requireVisible(principal, row.citizen_id);
    await this.accessLog.record(principal, { action: 'read', objectType: 'grant', objectId: id, citizenId: row.citizen_id, purpose });
    return this.view(row);
  }

  /** A grant's owner and institution for the caller: the authority sees every grant; an institution only its own (else 404). */
  async requireGrant(principal: Principal, id: string): Promise<{ id: string; citizenId: string; institutionId: string }> {
    const [row]: GrantRow[] = await this.db.query(`${SELECT_GRANT} WHERE g.id = $1`, [id]);
    const allowed =
      row &&
      (VISITATION_ROLES.includes(principal.role) || (INSTITUTION_ROLES.includes(principal.role) && principal.institutionId === row.institution_id));
    if (!allowed) throw notFound('grant');
    return { id: row.id, citizenId: row.citizen_id, institutionId: row.institution_id };
  }

  async row(id: string): Promise<GrantRow> {
    const [row]: GrantRow[] = await this.db.query(`${SELECT_GRANT} WHERE g.id = $1`, [id]);
    if (!row) throw notFound('grant');
    return row;
  }

  view(r: GrantRow): GrantView {
    const today = danishDate(this.clock.now());
    return {
      id: r.id,
      citizenId: r.citizen_id,
      caseId: r.case_id,
      decisionId: r.decision_id,
      admissionId: r.admission_id,
      standardCode: r.standard_code,
      standardVersionNo: r.standard_version_no,
      scope: num(r.scope),
      scopeUnit: r.scope_unit,
      institutionId: r.institution_id,
      rateId: r.rate_id,
      validFrom: r.valid_from,
      validTo: r.valid_to,
      endedByDecisionId: r.ended_by_decision_id,
      state: r.valid_from > today ? 'future' : r.valid_to !== null && r.valid_to < today ? 'ended' : 'active',
      createdAt: r.created_at.toISOString(),
      version: r.version,
    };
  }
}
