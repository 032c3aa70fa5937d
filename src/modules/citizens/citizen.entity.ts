import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/**
 * A borger. The CPR number is never stored in clear: `cprEncrypted` (AES-256-GCM) can be read with the key
 * from config, `cprHash` (keyed HMAC) finds and keeps it unique, `birthDate` gives the masked form.
 * Anonymous clients (e.g. SEL § 101 a) have a pseudonym instead and no CPR.
 * The municipalities are the organisation context's: checked by the service and a trigger, not a foreign key.
 */
@Entity({ name: 'citizen' })
@Check(
  'ck_citizen_identity',
  `(anonymous AND cpr_hash IS NULL AND cpr_encrypted IS NULL AND birth_date IS NULL AND pseudonym IS NOT NULL)
   OR (NOT anonymous AND cpr_hash IS NOT NULL AND cpr_encrypted IS NOT NULL AND birth_date IS NOT NULL AND pseudonym IS NULL AND name IS NOT NULL)`,
)
@Check('ck_citizen_cpr_hash', `cpr_hash ~ '^[0-9a-f]{64}$'`)
@Check('ck_citizen_pseudonym', `pseudonym ~ '^ANON-[0-9A-Z]{8}$'`)
@Check('ck_citizen_postal_code', `postal_code ~ '^[0-9]{4}$'`)
@Index('uq_citizen_cpr_hash', ['cprHash'], { unique: true })
@Index('uq_citizen_pseudonym', ['pseudonym'], { unique: true })
@Index('ix_citizen_name', { synchronize: false })
export class Citizen {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'boolean', default: false })
  anonymous: boolean;

  @Column({ type: 'bytea', nullable: true })
  cprEncrypted: Buffer | null;

  @Column({ type: 'text', nullable: true })
  cprHash: string | null;

  @Column({ type: 'date', nullable: true })
  birthDate: string | null;

  @Column({ type: 'text', nullable: true })
  pseudonym: string | null;

  @Column({ type: 'text', nullable: true })
  name: string | null;

  @Column({ type: 'text', nullable: true })
  street: string | null;

  @Column({ type: 'text', nullable: true })
  postalCode: string | null;

  @Column({ type: 'text', nullable: true })
  city: string | null;

  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ type: 'text', nullable: true })
  email: string | null;

  /** Handlekommune. */
  @Column({ type: 'uuid' })
  actingMunicipalityId: string;

  /** Betalingskommune. */
  @Column({ type: 'uuid' })
  payingMunicipalityId: string;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
