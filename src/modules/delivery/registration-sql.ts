import { AttendanceView, SessionView, TreatmentCourseView } from 'src/modules/delivery/registration.dto';
import { SessionStatus, TreatmentOutcome } from 'src/modules/delivery/delivery.constants';

/** The three registration tables, their day column (the one the database's registration trigger checks) and views. */
export type RegistrationKind = 'session' | 'attendance' | 'treatmentCourse';

interface BaseRow {
  id: string;
  order_id: string;
  citizen_id: string;
  institution_id: string;
  corrects_id: string | null;
  superseded_by: string | null;
  recorded_by: string | null;
  recorded_at: Date;
}

const base = (r: BaseRow) => ({
  id: r.id,
  orderId: r.order_id,
  citizenId: r.citizen_id,
  institutionId: r.institution_id,
  correctsId: r.corrects_id,
  supersededBy: r.superseded_by,
  recordedBy: r.recorded_by,
  recordedAt: r.recorded_at.toISOString(),
});

const COMMON = 'x.id, x.order_id, x.citizen_id, x.institution_id, x.corrects_id, c.id AS superseded_by, x.recorded_by, x.recorded_at';

export const REGISTRATIONS = {
  session: {
    table: 'delivery_session',
    day: 'session_date',
    objectType: 'deliverySession',
    select: `SELECT ${COMMON}, x.session_date::text AS session_date, to_char(x.starts_at, 'HH24:MI') AS starts_at, x.minutes,
                    x.staff_user_id, x.status
               FROM delivery_session x LEFT JOIN delivery_session c ON c.corrects_id = x.id`,
    view: (r: BaseRow & { session_date: string; starts_at: string | null; minutes: number; staff_user_id: string | null; status: SessionStatus }): SessionView => ({
      ...base(r),
      sessionDate: r.session_date,
      startsAt: r.starts_at,
      minutes: r.minutes,
      staffUserId: r.staff_user_id,
      status: r.status,
    }),
  },
  attendance: {
    table: 'attendance',
    day: 'attended_on',
    objectType: 'attendance',
    select: `SELECT ${COMMON}, x.attended_on::text AS attended_on, x.present
               FROM attendance x LEFT JOIN attendance c ON c.corrects_id = x.id`,
    view: (r: BaseRow & { attended_on: string; present: boolean }): AttendanceView => ({ ...base(r), attendedOn: r.attended_on, present: r.present }),
  },
  treatmentCourse: {
    table: 'treatment_course',
    day: 'started_on',
    objectType: 'treatmentCourse',
    select: `SELECT ${COMMON}, x.started_on::text AS started_on, x.ended_on::text AS ended_on, x.outcome
               FROM treatment_course x LEFT JOIN treatment_course c ON c.corrects_id = x.id`,
    view: (r: BaseRow & { started_on: string; ended_on: string | null; outcome: TreatmentOutcome | null }): TreatmentCourseView => ({
      ...base(r),
      startedOn: r.started_on,
      endedOn: r.ended_on,
      outcome: r.outcome,
    }),
  },
} as const;
