import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { CASE_STATUSES, CaseStatus } from 'src/modules/citizens/citizens.constants';
import { Citizen } from 'src/modules/citizens/citizen.entity';
import { sqlList } from 'src/modules/organisation/organisation.constants';

/** A sag. A citizen has at most one open case; inquiries join it until it is closed. */
@Entity({ name: 'citizen_case' })
@Check('ck_citizen_case_status', `status IN (${sqlList(CASE_STATUSES)})`)
@Check('ck_citizen_case_closed', `(status = 'closed') = (closed_on IS NOT NULL) AND (closed_on IS NULL OR closed_on >= opened_on)`)
@Index('ix_citizen_case_citizen', ['citizenId', 'openedOn'])
@Index('uq_citizen_case_open', { synchronize: false })
@Index('ix_citizen_case_responsible', { synchronize: false })
export class CitizenCase {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  citizenId: string;

  @ManyToOne(() => Citizen, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'citizen_id', foreignKeyConstraintName: 'fk_citizen_case_citizen' })
  citizen?: Citizen;

  @Column({ type: 'text', default: 'open' })
  status: CaseStatus;

  /** The user (caseworker) responsible; the organisation context's user id. */
  @Column({ type: 'uuid', nullable: true })
  responsibleCaseworkerId: string | null;

  @Column({ type: 'date' })
  openedOn: string;

  @Column({ type: 'date', nullable: true })
  closedOn: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
