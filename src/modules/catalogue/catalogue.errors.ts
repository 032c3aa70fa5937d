import { registerConstraintMessages } from 'src/platform/errors/constraint-messages';

registerConstraintMessages({
  uq_quality_standard_code: { status: 409, message: 'a quality standard with this code exists', pointer: '/code' },
  ex_qsv_in_force: { status: 409, message: 'the period overlaps another approved version of the standard', pointer: '/validFrom' },
  ck_qsv_immutable: { status: 409, message: 'an approved version is never edited or deleted; make a new version' },
  ck_qsv_scope: { status: 422, message: 'scopeMin must not exceed scopeMax', pointer: '/scopeMax' },
  ck_qsv_service_code: { status: 422, message: 'give an FFB service code or a local service code', pointer: '/localServiceCode' },
  ck_qsv_approval: { status: 422, message: 'an approved version needs committee, date, reference and validFrom' },
  ex_rate_overlap: { status: 409, message: 'the period overlaps another rate for the same standard and institution', pointer: '/validFrom' },
  ck_rate_immutable: { status: 409, message: 'the rate is in effect: it is never edited or deleted, only closed by a new rate' },
  ck_rate_period: { status: 422, message: 'validTo must be after validFrom', pointer: '/validTo' },
  fk_rate_institution: { status: 422, message: 'the institution does not exist', pointer: '/institutionId' },
  fk_rate_institution_delete: { status: 409, message: 'the institution has rates in the catalogue' },
  fk_rate_standard: { status: 409, message: 'the standard has rates' },
  fk_qsv_standard: { status: 409, message: 'the standard has versions' },
});
