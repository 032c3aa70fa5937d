import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/** A kvalitetsstandard: the stable identity of a service in the catalogue; its content lives in versions. */
@Entity({ name: 'quality_standard' })
@Check('ck_quality_standard_code', `code ~ '^[A-Z]{2,4}-[0-9]{1,3}[a-z]?(-[a-z0-9]+)?$'`)
@Index('uq_quality_standard_code', ['code'], { unique: true })
export class QualityStandard {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Stable code, e.g. SEL-85, SEL-101a, ABL-105. */
  @Column({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  title: string;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
