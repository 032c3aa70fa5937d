import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { sqlList } from 'src/modules/organisation/organisation.constants';
import { ADMISSION_STATUSES, AdmissionStatus } from 'src/modules/visitation/visitation.constants';

/**
 * A self-referral admission (selvmøder, § 109 kvindekrisecenter / § 110 forsorgshjem) as the authority sees
 * it: the institution's leader admitted the citizen without a prior decision; the authority confirms it as
 * a grant afterwards. Recorded by the delivery context through the visitation service.
 */
@Entity({ name: 'self_referral_admission' })
@Check('ck_self_referral_admission_status', `status IN (${sqlList(ADMISSION_STATUSES)})`)
@Check('ck_self_referral_admission_confirmed', `(status = 'confirmed') = (confirmed_at IS NOT NULL AND confirmed_by IS NOT NULL)`)
@Check('ck_self_referral_admission_period', 'discharged_on IS NULL OR discharged_on >= admitted_on')
@Index('ix_self_referral_admission_open', { synchronize: false })
export class SelfReferralAdmission {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  citizenId: string;

  @Column({ type: 'uuid' })
  institutionId: string;

  @Column({ type: 'text' })
  standardCode: string;

  @Column({ type: 'date' })
  admittedOn: string;

  /** The last night of the stay, once discharged. */
  @Column({ type: 'date', nullable: true })
  dischargedOn: string | null;

  /** The delivery context's id of the admission (idempotent recording). */
  @Column({ type: 'text', unique: true })
  sourceRef: string;

  @Column({ type: 'text', default: 'unconfirmed' })
  status: AdmissionStatus;

  @Column({ type: 'timestamptz', nullable: true })
  confirmedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  confirmedBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  recordedAt: Date;
}
