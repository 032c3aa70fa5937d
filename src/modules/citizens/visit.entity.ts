import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { VISIT_STATUSES, VisitStatus } from 'src/modules/citizens/citizens.constants';
import { CitizenCase } from 'src/modules/citizens/citizen-case.entity';
import { sqlList } from 'src/modules/organisation/organisation.constants';

/** A besøg: the caseworker's meeting with the citizen. planned → held | cancelled; then it is fixed. */
@Entity({ name: 'visit' })
@Check('ck_visit_status', `status IN (${sqlList(VISIT_STATUSES)})`)
@Check('ck_visit_time', 'ends_at > starts_at')
@Check('ck_visit_cancel_reason', `(status = 'cancelled') = (cancel_reason IS NOT NULL)`)
@Index('ix_visit_calendar', ['caseworkerId', 'startsAt'])
@Index('ix_visit_case', ['caseId', 'startsAt'])
export class Visit {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  caseId: string;

  @ManyToOne(() => CitizenCase, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'fk_visit_case' })
  case?: CitizenCase;

  /** The caseworker who holds the visit (the organisation context's user id). */
  @Column({ type: 'uuid' })
  caseworkerId: string;

  @Column({ type: 'text', default: 'planned' })
  status: VisitStatus;

  @Column({ type: 'timestamptz' })
  startsAt: Date;

  @Column({ type: 'timestamptz' })
  endsAt: Date;

  @Column({ type: 'text' })
  place: string;

  /** Who takes part besides the caseworker, e.g. "borgeren", "mor (pårørende)". */
  @Column({ type: 'text', array: true, default: () => `'{}'` })
  participants: string[];

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Column({ type: 'text', nullable: true })
  cancelReason: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
