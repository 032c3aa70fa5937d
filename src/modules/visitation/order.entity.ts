import { Check, Column, Entity, Index, JoinColumn, OneToOne, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { sqlList } from 'src/modules/organisation/organisation.constants';
import { Grant } from 'src/modules/visitation/grant.entity';
import { ORDER_STATUSES, OrderStatus } from 'src/modules/visitation/visitation.constants';

/**
 * A bestilling: what the authority sends the institution for a grant (the grant, its goals, and the
 * relevant parts of the action plan). The institution accepts or rejects it; it ends with the grant.
 */
@Entity({ name: 'service_order' })
@Check('ck_service_order_status', `status IN (${sqlList(ORDER_STATUSES)})`)
@Check('ck_service_order_rejected', `(status = 'rejected') = (rejection_reason IS NOT NULL)`)
@Check('ck_service_order_ended', `(status = 'ended') = (ended_on IS NOT NULL)`)
@Check('ck_service_order_accepted', `status NOT IN ('accepted') OR start_date IS NOT NULL`)
@Index('ix_service_order_institution', ['institutionId', 'status', 'sentAt'])
@Index('ix_service_order_citizen', ['citizenId', 'sentAt'])
export class Order {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid', unique: true })
  grantId: string;

  @OneToOne(() => Grant, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'grant_id', foreignKeyConstraintName: 'fk_service_order_grant' })
  grant?: Grant;

  @Column({ type: 'uuid' })
  citizenId: string;

  @Column({ type: 'uuid' })
  institutionId: string;

  @Column({ type: 'text', default: 'sent' })
  status: OrderStatus;

  /** What was sent, fixed: service, scope, period, purpose, goals (the order's content as the institution got it). */
  @Column({ type: 'jsonb' })
  content: Record<string, unknown>;

  /** The action plan (handleplan, § 141) whose relevant parts travel with the order, once there is one. */
  @Column({ type: 'uuid', nullable: true })
  actionPlanId: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  sentAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  respondedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  rejectionReason: string | null;

  /** The day delivery starts (set on acceptance). */
  @Column({ type: 'date', nullable: true })
  startDate: string | null;

  @Column({ type: 'date', nullable: true })
  endedOn: string | null;

  /** The institution's responsible employee (kontaktperson) for the citizen, set on acceptance. */
  @Column({ type: 'uuid', nullable: true })
  responsibleStaffUserId: string | null;

  /** Or the responsible team, in the institution's words. */
  @Column({ type: 'text', nullable: true })
  responsibleTeam: string | null;

  @VersionColumn()
  version: number;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
