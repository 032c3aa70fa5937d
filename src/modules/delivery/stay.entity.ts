import { Check, Column, CreateDateColumn, Entity, Exclusion, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';
import { sqlList } from 'src/modules/organisation/organisation.constants';
import { DISCHARGE_DESTINATIONS, DischargeDestination, STAY_SOURCES, StaySource } from 'src/modules/delivery/delivery.constants';

/**
 * An ophold in a place-based institution (botilbud, krisecenter, forsorgshjem): from the admission day up to,
 * not including, the discharge day. The database keeps one citizen's stays at one institution from
 * overlapping, and the institution's stays within its capacity (a trigger under a row lock).
 */
@Entity({ name: 'stay' })
@Check('ck_stay_source', `source IN (${sqlList(STAY_SOURCES)})`)
@Check('ck_stay_destination', `discharge_destination IS NULL OR discharge_destination IN (${sqlList(DISCHARGE_DESTINATIONS)})`)
@Check('ck_stay_discharge', '(discharged_on IS NULL) = (discharge_destination IS NULL) AND (discharged_on IS NULL OR discharged_on >= admitted_on)')
@Check('ck_stay_origin', `(source = 'order') = (order_id IS NOT NULL) AND (source = 'selfReferral') = (admission_id IS NOT NULL)`)
@Exclusion('ex_stay_overlap', `USING gist (citizen_id WITH =, institution_id WITH =, daterange(admitted_on, discharged_on, '[)') WITH &&)`)
@Index('ix_stay_institution', ['institutionId', 'admittedOn'])
@Index('uq_stay_order', ['orderId'], { unique: true })
@Index('uq_stay_admission', ['admissionId'], { unique: true })
export class Stay {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid', nullable: true })
  orderId: string | null;

  /** The visitation context's self-referral admission. */
  @Column({ type: 'uuid', nullable: true })
  admissionId: string | null;

  @Column({ type: 'text' })
  source: StaySource;

  @Column({ type: 'uuid' })
  citizenId: string;

  @Column({ type: 'uuid' })
  institutionId: string;

  @Column({ type: 'date' })
  admittedOn: string;

  /** The day the citizen left (the last night is the day before). */
  @Column({ type: 'date', nullable: true })
  dischargedOn: string | null;

  @Column({ type: 'text', nullable: true })
  dischargeDestination: DischargeDestination | null;

  /** § 110: when the acting municipality was told (within 3 working days). */
  @Column({ type: 'timestamptz', nullable: true })
  actingMunicipalityNotifiedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** Fravær during a stay (hospital, holiday …): recorded, and it does not reduce the place's payment. */
@Entity({ name: 'stay_absence' })
@Check('ck_stay_absence_period', 'to_date >= from_date')
@Index('ix_stay_absence_stay', ['stayId', 'fromDate'])
export class StayAbsence {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  stayId: string;

  @ManyToOne(() => Stay, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'stay_id', foreignKeyConstraintName: 'fk_stay_absence_stay' })
  stay?: Stay;

  @Column({ type: 'date' })
  fromDate: string;

  @Column({ type: 'date' })
  toDate: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
