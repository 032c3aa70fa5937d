import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique, UpdateDateColumn, VersionColumn, Check, Index } from 'typeorm';

/** A Danish municipality: this one (the installation's own) or a neighbour that buys or sells places. */
@Entity({ name: 'municipality' })
@Unique('uq_municipality_code', ['code'])
@Unique('uq_municipality_name', ['name'])
@Check('ck_municipality_code', `code ~ '^[0-9]{3}$'`)
@Index('uq_municipality_one_own', { synchronize: false })
export class Municipality {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Kommunekode, three digits (e.g. 791 Viborg). */
  @Column({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  name: string;

  /** True for the municipality this installation serves (exactly one). */
  @Column({ type: 'boolean', default: false })
  isOwn: boolean;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
