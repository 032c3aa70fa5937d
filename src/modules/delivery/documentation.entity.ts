import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { sqlList } from 'src/modules/organisation/organisation.constants';
import { SUB_GOAL_STATUSES, SubGoalStatus } from 'src/modules/delivery/delivery.constants';

/**
 * A delmål: the institution's sub-goal under one of the authority's goals (a decision goal, by decision and
 * ordinal) for an order. Only the institution writes them; the authority reads them.
 */
@Entity({ name: 'sub_goal' })
@Check('ck_sub_goal_status', `status IN (${sqlList(SUB_GOAL_STATUSES)})`)
@Check('ck_sub_goal_target', 'target_level IS NULL OR target_level BETWEEN 0 AND 4')
@Index('ix_sub_goal_order', ['orderId', 'createdAt'])
export class SubGoal {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  orderId: string;

  @Column({ type: 'uuid' })
  citizenId: string;

  @Column({ type: 'uuid' })
  institutionId: string;

  /** The authority's goal (indsatsmål) it serves: the decision and the goal's ordinal there. */
  @Column({ type: 'uuid' })
  decisionId: string;

  @Column({ type: 'smallint' })
  goalOrdinal: number;

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'smallint', nullable: true })
  targetLevel: number | null;

  @Column({ type: 'text', default: 'active' })
  status: SubGoalStatus;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** Progression on a sub-goal: a level 0–4 and a text on a day. Append-only. */
@Entity({ name: 'goal_progress' })
@Check('ck_goal_progress_level', 'level BETWEEN 0 AND 4')
@Index('ix_goal_progress_sub_goal', ['subGoalId', 'recordedOn'])
export class GoalProgress {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  subGoalId: string;

  @ManyToOne(() => SubGoal, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sub_goal_id', foreignKeyConstraintName: 'fk_goal_progress_sub_goal' })
  subGoal?: SubGoal;

  @Column({ type: 'smallint' })
  level: number;

  @Column({ type: 'text' })
  text: string;

  @Column({ type: 'date' })
  recordedOn: string;

  @Column({ type: 'uuid', nullable: true })
  recordedBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  recordedAt: Date;
}

/**
 * Dokumentation: a staff member's journal note on an order, optionally linked to sub-goals; amended, never
 * edited. `sharedWithAuthority` marks what the caseworker needs to see.
 */
@Entity({ name: 'staff_note' })
@Index('ix_staff_note_order', ['orderId', 'recordedAt'])
export class StaffNote {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  orderId: string;

  @Column({ type: 'uuid' })
  citizenId: string;

  @Column({ type: 'uuid' })
  institutionId: string;

  @Column({ type: 'text' })
  text: string;

  @Column({ type: 'uuid', array: true, default: () => `'{}'` })
  subGoalIds: string[];

  @Column({ type: 'boolean', default: false })
  sharedWithAuthority: boolean;

  @Column({ type: 'uuid', nullable: true })
  amendsNoteId: string | null;

  @ManyToOne(() => StaffNote, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'amends_note_id', foreignKeyConstraintName: 'fk_staff_note_amends' })
  amendsNote?: StaffNote;

  @Column({ type: 'uuid', nullable: true })
  authorUserId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  recordedAt: Date;
}
