import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { stringify } from 'csv-stringify';
import { Principal, Role } from 'src/platform/auth/principal';
import { DomainError } from 'src/platform/errors/domain-error';
import { ComplaintStatisticsQuery, ComplaintStatisticsReport, ComplaintStatisticsRow } from 'src/modules/visitation/complaint.dto';
import { COMPLAINT_STATISTICS } from 'src/modules/visitation/sql/complaint-statistics.sql';

/** Who sees the complaint statistics: aggregates only, no citizen is named. */
export const COMPLAINT_STATISTICS_ROLES: readonly Role[] = ['caseworker', 'panelMember', 'admin', 'finance'];

interface StatisticsRow {
  standard_code: string | null;
  legal_basis: string | null;
  is_total: boolean;
  received: number;
  late: number;
  changed_by_authority: number;
  upheld: number;
  forwarded: number;
  affirmed: number;
  changed: number;
  remitted: number;
  dismissed: number;
  reversal_rate: string | null;
}

/** The CSV columns, in order: the JSON fields of a row. */
const COLUMNS: (keyof ComplaintStatisticsRow)[] = [
  'standardCode',
  'legalBasis',
  'received',
  'late',
  'changedByAuthority',
  'upheld',
  'forwarded',
  'affirmed',
  'changed',
  'remitted',
  'dismissed',
  'reversalRate',
];

/**
 * Klagestatistik per service and legal basis for the complaints received in a period, with what is known of
 * each of them now (re-assessment, forwarding, Ankestyrelsen's outcome) and the omgørelsesprocent. For the
 * half-yearly report to the committee and the Danmarkskort discussion (RSL § 79 b).
 */
@Injectable()
export class ComplaintStatisticsService {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  @Transactional()
  async report(principal: Principal, q: ComplaintStatisticsQuery): Promise<ComplaintStatisticsReport> {
    if (!COMPLAINT_STATISTICS_ROLES.includes(principal.role)) throw new DomainError('forbidden', 'your role does not see complaint statistics');
    if (q.from > q.to) throw new DomainError('validationFailed', 'from must be on or before to', [{ pointer: '/to', reason: 'before from' }]);
    const rows: StatisticsRow[] = await this.txHost.tx.query(COMPLAINT_STATISTICS, [q.from, q.to]);
    const services = rows.filter((r) => !r.is_total).map(toRow);
    const total = rows.find((r) => r.is_total);
    if (!total) throw new Error('complaint statistics: the total row is missing');
    return { from: q.from, to: q.to, services, total: toRow(total) };
  }

  /** The report as CSV (RFC 4180, header line, one line per service, then the total with standardCode "total"). */
  csv(report: ComplaintStatisticsReport): Readable {
    const records = [...report.services, { ...report.total, standardCode: 'total' }].map((r) =>
      COLUMNS.map((c) => (c === 'reversalRate' ? (r.reversalRate === null ? '' : r.reversalRate.toFixed(1)) : r[c])),
    );
    return stringify(records, { header: true, columns: COLUMNS, escape_formulas: true });
  }
}

function toRow(r: StatisticsRow): ComplaintStatisticsRow {
  return {
    standardCode: r.is_total ? null : r.standard_code,
    legalBasis: r.is_total ? null : r.legal_basis,
    received: r.received,
    late: r.late,
    changedByAuthority: r.changed_by_authority,
    upheld: r.upheld,
    forwarded: r.forwarded,
    affirmed: r.affirmed,
    changed: r.changed,
    remitted: r.remitted,
    dismissed: r.dismissed,
    reversalRate: r.reversal_rate === null ? null : Number(r.reversal_rate),
  };
}
