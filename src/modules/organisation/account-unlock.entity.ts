import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Generated } from 'typeorm';
import { bigintTransformer } from 'src/platform/database/bigint.transformer';
import { User } from 'src/modules/organisation/user.entity';

/** An administrator lifted a log-in lock and recorded why (the cause of the failed attempts). */
@Entity({ name: 'account_unlock' })
@Check('ck_account_unlock_reason', 'length(btrim(reason)) >= 3')
@Index('ix_account_unlock_user', ['userId', 'unlockedAt'])
export class AccountUnlock {
  @PrimaryColumn({ type: 'bigint', transformer: bigintTransformer })
  @Generated('increment')
  id: number;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_account_unlock_user' })
  user?: User;

  @Column({ type: 'uuid', nullable: true })
  unlockedBy: string | null;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'timestamptz', nullable: true })
  lockedAt: Date | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  unlockedAt: Date;
}
