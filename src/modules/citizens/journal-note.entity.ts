import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CitizenCase } from 'src/modules/citizens/citizen-case.entity';

/**
 * A journal note (notat) on a case. Append-only: a trigger refuses UPDATE and DELETE for every role; a
 * correction is a new note that amends the earlier one (same case).
 */
@Entity({ name: 'journal_note' })
@Index('ix_journal_note_case', ['caseId', 'recordedAt'])
@Index('ix_journal_note_amends', { synchronize: false })
export class JournalNote {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  caseId: string;

  @ManyToOne(() => CitizenCase, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'fk_journal_note_case' })
  case?: CitizenCase;

  @Column({ type: 'text' })
  text: string;

  /** The note this one amends (corrects or adds to). */
  @Column({ type: 'uuid', nullable: true })
  amendsNoteId: string | null;

  @ManyToOne(() => JournalNote, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'amends_note_id', foreignKeyConstraintName: 'fk_journal_note_amends' })
  amends?: JournalNote;

  @Column({ type: 'uuid', nullable: true })
  authorUserId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  recordedAt: Date;
}
