import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AccessLogService } from 'src/platform/access-log/access-log.service';
import { Principal } from 'src/platform/auth/principal';
import { ruleViolated } from 'src/platform/errors/domain-error';
import { OutboxService } from 'src/platform/outbox/outbox.service';
import { Purpose } from 'src/modules/citizens/citizens.constants';
import { ReportDirection } from 'src/modules/delivery/delivery.constants';
import { OrderAccess } from 'src/modules/delivery/order-access';
import { CreateProviderReportDto, ProviderReportView } from 'src/modules/delivery/report.dto';
import { FollowUpService } from 'src/modules/visitation/follow-up.service';

interface ReportRow {
  id: string;
  order_id: string;
  citizen_id: string;
  institution_id: string;
  direction: ReportDirection;
  description: string;
  proposal: string | null;
  follow_up_id: string | null;
  submitted_by: string | null;
  submitted_at: Date;
}

const SELECT_REPORT = `
  SELECT r.id, r.order_id, r.citizen_id, r.institution_id, r.direction, r.description, r.proposal, r.follow_up_id, r.submitted_by, r.submitted_at
    FROM provider_report r`;

const DIRECTION_TEXT: Record<ReportDirection, string> = {
  increased: 'øget behov',
  decreased: 'mindsket behov',
  other: 'andet',
};

/**
 * Tilbagemelding: the institution tells the authority that the citizen's needs changed. The report and the
 * authority's follow-up task are made in one transaction; the report is kept as sent (the app role cannot
 * change it), so its id is chosen first and the follow-up made before the report row that names it.
 */
@Injectable()
export class ProviderReportService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly access: OrderAccess,
    private readonly followUps: FollowUpService,
    private readonly outbox: OutboxService,
    private readonly accessLog: AccessLogService,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  @Transactional()
  async create(principal: Principal, purpose: Purpose, orderId: string, dto: CreateProviderReportDto): Promise<ProviderReportView> {
    const order = await this.access.write(principal, orderId, ['accepted'], 'a provider report');
    const description = dto.description.trim();
    if (!description) throw ruleViolated('a provider report describes what changed', '/description');
    const proposal = dto.proposal?.trim() || null;
    const id = randomUUID();
    const followUp = await this.followUps.createFromProviderReport(
      { grantId: order.grant_id, reportRef: id, summary: `Tilbagemelding (${DIRECTION_TEXT[dto.direction]}): ${description}${proposal ? ` Forslag: ${proposal}` : ''}` },
      { principal, purpose },
    );
    await this.db.query(
      `INSERT INTO provider_report (id, order_id, citizen_id, institution_id, direction, description, proposal, follow_up_id, submitted_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [id, orderId, order.citizen_id, order.institution_id, dto.direction, description, proposal, followUp.id, principal.kind === 'user' ? principal.id : null],
    );
    await this.outbox.publish('ProviderReportSubmitted', {
      providerReportId: id,
      orderId,
      grantId: order.grant_id,
      citizenId: order.citizen_id,
      institutionId: order.institution_id,
      direction: dto.direction,
      followUpId: followUp.id,
    });
    await this.accessLog.record(principal, { action: 'create', objectType: 'providerReport', objectId: id, citizenId: order.citizen_id, purpose });
    const [row]: ReportRow[] = await this.db.query(`${SELECT_REPORT} WHERE r.id = $1`, [id]);
    return this.view(row, order.grant_id);
  }

  /** The order's reports, newest first: for the institution that sent them and the authority they went to. */
  @Transactional()
  async listForOrder(principal: Principal, purpose: Purpose, orderId: string): Promise<ProviderReportView[]> {
    const order = await this.access.read(principal, orderId);
    const rows: ReportRow[] = await this.db.query(`${SELECT_REPORT} WHERE r.order_id = $1 ORDER BY r.submitted_at DESC, r.id`, [orderId]);
    await this.accessLog.record(principal, { action: 'read', objectType: 'providerReport', objectId: orderId, citizenId: order.citizen_id, purpose });
    return rows.map((r) => this.view(r, order.grant_id));
  }

  private view(r: ReportRow, grantId: string): ProviderReportView {
    return {
      id: r.id,
      orderId: r.order_id,
      grantId,
      citizenId: r.citizen_id,
      institutionId: r.institution_id,
      direction: r.direction,
      description: r.description,
      proposal: r.proposal,
      followUpId: r.follow_up_id,
      submittedBy: r.submitted_by,
      submittedAt: r.submitted_at.toISOString(),
    };
  }
}
