import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { OrgUnit } from 'src/modules/organisation/org-unit.entity';
import { ROLES, Role, sqlList } from 'src/modules/organisation/organisation.constants';

/** A service account's key (e.g. the ERP/finance system): stored as a hash, scoped, revocable. */
@Entity({ name: 'api_key' })
@Check('ck_api_key_role', `role IN (${sqlList(ROLES)}) AND role <> 'admin'`)
@Check('ck_api_key_scopes', 'cardinality(scopes) > 0')
@Index('uq_api_key_prefix', ['prefix'], { unique: true })
export class ApiKey {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  /** The public part of the key, shown in lists; the secret is never stored. */
  @Column({ type: 'text' })
  prefix: string;

  /** SHA-256 of the whole key (keys are 256-bit random, so a fast hash is enough). */
  @Column({ type: 'text', select: false })
  secretHash: string;

  @Column({ type: 'text' })
  role: Role;

  @Column({ type: 'text', array: true })
  scopes: string[];

  @Column({ type: 'uuid' })
  orgUnitId: string;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'org_unit_id', foreignKeyConstraintName: 'fk_api_key_org_unit' })
  orgUnit?: OrgUnit;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;
}
