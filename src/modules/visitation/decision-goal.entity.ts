import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { sqlList } from 'src/modules/organisation/organisation.constants';
import { Decision } from 'src/modules/visitation/decision.entity';
import { ACTIVITY_THEMES, ActivityTheme, GOAL_TYPES, GoalType } from 'src/modules/visitation/visitation.constants';

/**
 * An indsatsmål set by the decision: one primary and any secondary activity themes, a target level 0–4 and a
 * goal type. Travels with the grant's order; the institution's sub-goals (delmål) hang under it.
 */
@Entity({ name: 'decision_goal' })
@Check('ck_decision_goal_theme', `primary_theme IN (${sqlList(ACTIVITY_THEMES)}) AND secondary_themes <@ ARRAY[${sqlList(ACTIVITY_THEMES)}]::text[] AND NOT (primary_theme = ANY (secondary_themes))`)
@Check('ck_decision_goal_level', 'target_level BETWEEN 0 AND 4')
@Check('ck_decision_goal_type', `goal_type IN (${sqlList(GOAL_TYPES)})`)
@Check('ck_decision_goal_ordinal', 'ordinal >= 1')
export class DecisionGoal {
  @PrimaryColumn({ type: 'uuid' })
  decisionId: string;

  @ManyToOne(() => Decision, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'decision_id', foreignKeyConstraintName: 'fk_decision_goal_decision' })
  decision?: Decision;

  @PrimaryColumn({ type: 'smallint' })
  ordinal: number;

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'text' })
  primaryTheme: ActivityTheme;

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  secondaryThemes: ActivityTheme[];

  @Column({ type: 'smallint' })
  targetLevel: number;

  @Column({ type: 'text' })
  goalType: GoalType;
}
