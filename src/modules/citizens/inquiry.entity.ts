import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { INQUIRY_CHANNELS, InquiryChannel } from 'src/modules/citizens/citizens.constants';
import { CitizenCase } from 'src/modules/citizens/citizen-case.entity';
import { sqlList } from 'src/modules/organisation/organisation.constants';

/**
 * A henvendelse: what the citizen (or someone on their behalf) asked for, when and how. Its date starts the
 * casework deadline of the service asked for (the quality-standard version in force that day).
 */
@Entity({ name: 'inquiry' })
@Check('ck_inquiry_channel', `channel IN (${sqlList(INQUIRY_CHANNELS)})`)
@Check('ck_inquiry_deadline', 'casework_deadline > received_on')
@Index('ix_inquiry_case', ['caseId', 'receivedOn'])
export class Inquiry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  caseId: string;

  @ManyToOne(() => CitizenCase, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'fk_inquiry_case' })
  case?: CitizenCase;

  @Column({ type: 'date' })
  receivedOn: string;

  @Column({ type: 'text' })
  channel: InquiryChannel;

  /** What is asked, in the caseworker's words. */
  @Column({ type: 'text' })
  request: string;

  /** The quality standard asked for, e.g. SEL-85. */
  @Column({ type: 'text' })
  standardCode: string;

  /** The version in force on the inquiry date (the catalogue's id). */
  @Column({ type: 'uuid' })
  standardVersionId: string;

  /** Its version number, as cited (an approved version never changes). */
  @Column({ type: 'integer' })
  standardVersionNo: number;

  /** Sagsbehandlingsfrist: the inquiry date plus the standard's casework deadline in days. */
  @Column({ type: 'date' })
  caseworkDeadline: string;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
