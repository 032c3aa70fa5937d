import { referenceMessage, registerConstraintMessages } from 'src/platform/errors/constraint-messages';

const missing = referenceMessage;

registerConstraintMessages({
  fk_stay_order_id: missing('the order', '/orderId'),
  fk_stay_admission_id: missing('the admission'),
  fk_stay_citizen_id: missing('the citizen', '/citizenId'),
  fk_stay_institution_id: missing('the institution'),
  fk_delivery_session_staff_user_id: missing('the staff member', '/staffUserId'),
  fk_use_of_force_report_citizen_id: missing('the citizen', '/citizenId'),
  fk_sub_goal_decision_id: missing('the decision'),
  ex_stay_overlap: { status: 422, message: 'the citizen already has a stay at the institution in that period: stays of one citizen at one institution never overlap', pointer: '/admittedOn' },
  ck_stay_capacity: { status: 409, message: "the institution's places are all taken: put the citizen on the waiting list" },
  ck_stay_discharge: { status: 422, message: 'the discharge day is on or after the admission, with the destination', pointer: '/dischargedOn' },
  ck_stay_recorded: { status: 409, message: 'a stay is kept as recorded: the discharge is recorded once' },
  ck_stay_absence_within: { status: 422, message: 'an absence lies within its stay', pointer: '/fromDate' },
  ck_stay_absence_period: { status: 422, message: 'the absence ends on or after its first day', pointer: '/toDate' },
  uq_stay_order: { status: 409, message: 'the order has its stay already' },
  uq_stay_admission: { status: 409, message: 'the admission has its stay already' },
  uq_waiting_list_entry_order: { status: 409, message: 'the order is on the waiting list already' },
  ck_registration_order_accepted: { status: 422, message: 'registrations are made on an accepted order, for its citizen at its institution', pointer: '/orderId' },
  ck_registration_period: { status: 422, message: "the day lies outside the grant's period" },
  ck_registration_corrects: { status: 422, message: 'a correction corrects a registration of the same order', pointer: '/correctsId' },
  ck_delivery_session_minutes: { status: 422, message: 'minutes are 1–1440', pointer: '/minutes' },
  uq_delivery_session_corrects: { status: 409, message: 'the registration is corrected already; correct the correction' },
  uq_attendance_corrects: { status: 409, message: 'the registration is corrected already; correct the correction' },
  uq_treatment_course_corrects: { status: 409, message: 'the registration is corrected already; correct the correction' },
  ck_treatment_course_end: { status: 422, message: 'a course ends on or after its start, with an outcome', pointer: '/endedOn' },
  ck_sub_goal_goal: { status: 422, message: "a sub-goal serves one of the order's goals and stays under it", pointer: '/goalOrdinal' },
  ck_staff_note_amends: { status: 422, message: 'the amended note is a note of the same order', pointer: '/amendsNoteId' },
  ck_goal_progress_level: { status: 422, message: 'progress is a level 0–4', pointer: '/level' },
});
