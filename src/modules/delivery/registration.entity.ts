import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { sqlList } from 'src/modules/organisation/organisation.constants';
import { SESSION_STATUSES, SessionStatus, TREATMENT_OUTCOMES, TreatmentOutcome } from 'src/modules/delivery/delivery.constants';

/**
 * A session of hour-based support (bostøtte): the day, when, how many minutes, by whom, and whether it was
 * delivered or cancelled. Registrations are never edited: a correction is a new registration that names the
 * one it corrects (which then no longer counts).
 */
@Entity({ name: 'delivery_session' })
@Check('ck_delivery_session_status', `status IN (${sqlList(SESSION_STATUSES)})`)
@Check('ck_delivery_session_minutes', 'minutes BETWEEN 1 AND 1440')
@Index('ix_delivery_session_order', ['orderId', 'sessionDate'])
@Index('ix_delivery_session_institution', ['institutionId', 'sessionDate'])
@Index('uq_delivery_session_corrects', ['correctsId'], { unique: true })
export class DeliverySession {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  orderId: string;

  @Column({ type: 'uuid' })
  citizenId: string;

  @Column({ type: 'uuid' })
  institutionId: string;

  @Column({ type: 'date' })
  sessionDate: string;

  /** Local time of day the session began (HH:MM). */
  @Column({ type: 'time', nullable: true })
  startsAt: string | null;

  @Column({ type: 'integer' })
  minutes: number;

  /** The employee who delivered it (a user of the institution). */
  @Column({ type: 'uuid', nullable: true })
  staffUserId: string | null;

  @Column({ type: 'text' })
  status: SessionStatus;

  @Column({ type: 'uuid', nullable: true })
  correctsId: string | null;

  @ManyToOne(() => DeliverySession, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'corrects_id', foreignKeyConstraintName: 'fk_delivery_session_corrects' })
  corrects?: DeliverySession;

  @Column({ type: 'uuid', nullable: true })
  recordedBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  recordedAt: Date;
}

/** Fremmøde in a day service (§ 103, § 104): present or absent on a day. Corrections as for sessions. */
@Entity({ name: 'attendance' })
@Index('ix_attendance_order', ['orderId', 'attendedOn'])
@Index('uq_attendance_corrects', ['correctsId'], { unique: true })
export class Attendance {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  orderId: string;

  @Column({ type: 'uuid' })
  citizenId: string;

  @Column({ type: 'uuid' })
  institutionId: string;

  @Column({ type: 'date' })
  attendedOn: string;

  @Column({ type: 'boolean' })
  present: boolean;

  @Column({ type: 'uuid', nullable: true })
  correctsId: string | null;

  @ManyToOne(() => Attendance, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'corrects_id', foreignKeyConstraintName: 'fk_attendance_corrects' })
  corrects?: Attendance;

  @Column({ type: 'uuid', nullable: true })
  recordedBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  recordedAt: Date;
}

/** A treatment course (§ 101, SUL § 141): start, end and outcome. Corrections as for sessions. */
@Entity({ name: 'treatment_course' })
@Check('ck_treatment_course_outcome', `outcome IS NULL OR outcome IN (${sqlList(TREATMENT_OUTCOMES)})`)
@Check('ck_treatment_course_end', '(ended_on IS NULL) = (outcome IS NULL) AND (ended_on IS NULL OR ended_on >= started_on)')
@Index('ix_treatment_course_order', ['orderId', 'startedOn'])
@Index('uq_treatment_course_corrects', ['correctsId'], { unique: true })
export class TreatmentCourse {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  orderId: string;

  @Column({ type: 'uuid' })
  citizenId: string;

  @Column({ type: 'uuid' })
  institutionId: string;

  @Column({ type: 'date' })
  startedOn: string;

  @Column({ type: 'date', nullable: true })
  endedOn: string | null;

  @Column({ type: 'text', nullable: true })
  outcome: TreatmentOutcome | null;

  @Column({ type: 'uuid', nullable: true })
  correctsId: string | null;

  @ManyToOne(() => TreatmentCourse, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'corrects_id', foreignKeyConstraintName: 'fk_treatment_course_corrects' })
  corrects?: TreatmentCourse;

  @Column({ type: 'uuid', nullable: true })
  recordedBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  recordedAt: Date;
}
