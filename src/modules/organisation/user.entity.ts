import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { OrgUnit } from 'src/modules/organisation/org-unit.entity';
import { ROLES, Role, sqlList } from 'src/modules/organisation/organisation.constants';

@Entity({ name: 'app_user' })
@Check('ck_app_user_role', `role IN (${sqlList(ROLES)})`)
@Check('ck_app_user_username', `username ~ '^[A-Za-z0-9._@-]{3,100}$'`)
@Check('ck_app_user_credential', 'password_hash IS NOT NULL OR external_subject IS NOT NULL')
@Index('uq_app_user_username', { synchronize: false })
@Index('uq_app_user_external_subject', ['externalSubject'], { unique: true, where: 'external_subject IS NOT NULL' })
@Index('ix_app_user_org_unit', ['orgUnitId'])
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  username: string;

  @Column({ type: 'text' })
  displayName: string;

  @Column({ type: 'text', nullable: true })
  email: string | null;

  @Column({ type: 'text' })
  role: Role;

  @Column({ type: 'uuid' })
  orgUnitId: string;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'org_unit_id', foreignKeyConstraintName: 'fk_app_user_org_unit' })
  orgUnit?: OrgUnit;

  /** argon2id hash for the built-in issuer; null for users who log in only through the OIDC broker. */
  @Column({ type: 'text', nullable: true, select: false })
  passwordHash: string | null;

  /** The identity broker's subject for this user (OIDC `sub`). */
  @Column({ type: 'text', nullable: true })
  externalSubject: string | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  lockedAt: Date | null;

  /** When an administrator last unlocked the account: failures before it no longer count. */
  @Column({ type: 'timestamptz', nullable: true })
  failuresResetAt: Date | null;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
