import { Column, Entity, Index, PrimaryColumn, Generated } from 'typeorm';
import { bigintTransformer } from 'src/platform/database/bigint.transformer';

/** Every log-in attempt against the built-in issuer; five failures in 24 hours lock the account. */
@Entity({ name: 'login_attempt' })
@Index('ix_login_attempt_user', ['userId', 'attemptedAt'])
export class LoginAttempt {
  @PrimaryColumn({ type: 'bigint', transformer: bigintTransformer })
  @Generated('increment')
  id: number;

  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ type: 'text' })
  username: string;

  @Column({ type: 'boolean' })
  succeeded: boolean;

  @Column({ type: 'text', nullable: true })
  clientIp: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  attemptedAt: Date;
}
