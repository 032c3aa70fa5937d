import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { sqlList } from 'src/modules/organisation/organisation.constants';
import { WAITING_STATUSES, WaitingStatus } from 'src/modules/delivery/delivery.constants';

/**
 * A place on an institution's venteliste for an order that could not be accepted for lack of capacity.
 * Position = order by priority (1 most urgent), then the day listed; a freed place is offered to the first.
 */
@Entity({ name: 'waiting_list_entry' })
@Check('ck_waiting_list_entry_status', `status IN (${sqlList(WAITING_STATUSES)})`)
@Check('ck_waiting_list_entry_priority', 'priority BETWEEN 1 AND 3')
@Check(
  'ck_waiting_list_entry_offered',
  `(status NOT IN ('offered', 'admitted') OR offered_on IS NOT NULL) AND (status <> 'waiting' OR offered_on IS NULL) AND (status IN ('admitted', 'removed')) = (closed_on IS NOT NULL)`,
)
@Index('uq_waiting_list_entry_order', ['orderId'], { unique: true, where: `status IN ('waiting', 'offered')` })
@Index('ix_waiting_list_queue', { synchronize: false })
export class WaitingListEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  orderId: string;

  @Column({ type: 'uuid' })
  institutionId: string;

  @Column({ type: 'uuid' })
  citizenId: string;

  /** 1 = urgent, 2 = high, 3 = normal. */
  @Column({ type: 'smallint', default: 3 })
  priority: number;

  @Column({ type: 'date' })
  listedOn: string;

  @Column({ type: 'text', default: 'waiting' })
  status: WaitingStatus;

  @Column({ type: 'date', nullable: true })
  offeredOn: string | null;

  @Column({ type: 'date', nullable: true })
  closedOn: string | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
