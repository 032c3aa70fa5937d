import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { sqlList } from 'src/modules/organisation/organisation.constants';
import { Decision } from 'src/modules/visitation/decision.entity';
import { PANEL_OUTCOMES, PanelOutcome } from 'src/modules/visitation/visitation.constants';

/** The visitation panel's review of a decision: approved, or returned with a comment. Append-only. */
@Entity({ name: 'panel_review' })
@Check('ck_panel_review_outcome', `outcome IN (${sqlList(PANEL_OUTCOMES)})`)
@Check('ck_panel_review_comment', `outcome = 'approved' OR length(btrim(coalesce(comment, ''))) > 0`)
@Index('ix_panel_review_decision', ['decisionId', 'reviewedAt'])
export class PanelReview {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  decisionId: string;

  @ManyToOne(() => Decision, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'decision_id', foreignKeyConstraintName: 'fk_panel_review_decision' })
  decision?: Decision;

  /** The panel member (never the decision's own caseworker). */
  @Column({ type: 'uuid' })
  reviewerId: string;

  @Column({ type: 'text' })
  outcome: PanelOutcome;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  reviewedAt: Date;
}
