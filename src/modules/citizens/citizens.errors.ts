import { registerConstraintMessages } from 'src/platform/errors/constraint-messages';

registerConstraintMessages({
  uq_citizen_cpr_hash: { status: 409, message: 'a citizen with this CPR number exists', pointer: '/cpr' },
  uq_citizen_pseudonym: { status: 409, message: 'the pseudonym is taken; try again' },
  ck_citizen_identity: { status: 422, message: 'a citizen has a CPR number and a name; an anonymous client a pseudonym and no CPR number' },
  fk_citizen_acting_municipality: { status: 422, message: 'the acting municipality does not exist', pointer: '/actingMunicipalityId' },
  fk_citizen_paying_municipality: { status: 422, message: 'the paying municipality does not exist', pointer: '/payingMunicipalityId' },
  fk_citizen_municipality_delete: { status: 409, message: 'the municipality acts or pays for citizens' },
  uq_citizen_case_open: { status: 409, message: 'the citizen already has an open case; retry to join it' },
  ck_citizen_case_closed: { status: 422, message: 'a closed case has a closing date on or after its opening' },
  fk_citizen_case_citizen: { status: 409, message: 'the citizen has cases', missing: { status: 422, message: 'the citizen does not exist (any more)' } },
  ck_journal_note_append_only: { status: 409, message: 'journal notes are never changed or deleted; add a note that amends it' },
  ck_journal_note_amends_case: { status: 422, message: 'the amended note is not a note of this case', pointer: '/amendsNoteId' },
  ck_visit_transition: { status: 409, message: 'only a planned visit can change: it goes to held or cancelled, and stays there' },
  ck_visit_time: { status: 422, message: 'endsAt must be after startsAt', pointer: '/endsAt' },
});
