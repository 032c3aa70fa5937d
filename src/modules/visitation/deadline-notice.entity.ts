import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { sqlList } from 'src/modules/organisation/organisation.constants';
import { CORRESPONDENCE_CHANNELS, CorrespondenceChannel } from 'src/modules/visitation/visitation.constants';

/**
 * The written notice a citizen gets when an inquiry passes its casework deadline without a decision (RSL
 * § 3, stk. 2): when it was sent, how, and when the decision is now expected. Append-only.
 */
@Entity({ name: 'deadline_notice' })
@Check('ck_deadline_notice_channel', `channel IN (${sqlList(CORRESPONDENCE_CHANNELS)})`)
@Check('ck_deadline_notice_expected', 'expected_decision_on >= sent_on')
@Index('ix_deadline_notice_inquiry', ['inquiryId', 'sentOn'])
export class DeadlineNotice {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  inquiryId: string;

  @Column({ type: 'uuid' })
  citizenId: string;

  @Column({ type: 'date' })
  sentOn: string;

  @Column({ type: 'text' })
  channel: CorrespondenceChannel;

  @Column({ type: 'date' })
  expectedDecisionOn: string;

  /** Why the decision is delayed, as told to the citizen. */
  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
