import { Check, Column, CreateDateColumn, Entity, Exclusion, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { bigintTransformer } from 'src/platform/database/bigint.transformer';
import { numericTransformer } from 'src/platform/database/numeric.transformer';
import { QualityStandard } from 'src/modules/catalogue/quality-standard.entity';

/**
 * A takst: the price per unit of a service for a period, for one institution or (institution null) the
 * standard's general rate. Never edited once effective; a new period gets a new rate.
 */
@Entity({ name: 'rate' })
@Check('ck_rate_price', 'price_oere >= 0')
@Check('ck_rate_period', 'valid_to IS NULL OR valid_from < valid_to')
@Check('ck_rate_occupancy', 'planned_occupancy_pct IS NULL OR (planned_occupancy_pct > 0 AND planned_occupancy_pct <= 100)')
@Exclusion(
  'ex_rate_overlap',
  `USING gist (standard_id WITH =, coalesce(institution_id, '00000000-0000-0000-0000-000000000000'::uuid) WITH =, daterange(valid_from, valid_to, '[)') WITH &&)`,
)
@Index('ix_rate_lookup', ['standardId', 'institutionId', 'validFrom'])
@Index('ix_rate_institution', { synchronize: false })
export class Rate {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  standardId: string;

  @ManyToOne(() => QualityStandard, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'standard_id', foreignKeyConstraintName: 'fk_rate_standard' })
  standard?: QualityStandard;

  /** The institution the rate is for; null for the standard's general rate. */
  @Column({ type: 'uuid', nullable: true })
  institutionId: string | null;

  @Column({ type: 'date' })
  validFrom: string;

  /** Exclusive end; null while open-ended. */
  @Column({ type: 'date', nullable: true })
  validTo: string | null;

  /** Price per unit of the standard's scope unit, in øre. */
  @Column({ type: 'bigint', transformer: bigintTransformer })
  priceOere: number;

  /** For place-based services: the occupancy (belægningsprocent) the price assumes. */
  @Column({ type: 'numeric', precision: 5, scale: 2, nullable: true, transformer: numericTransformer })
  plannedOccupancyPct: number | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
