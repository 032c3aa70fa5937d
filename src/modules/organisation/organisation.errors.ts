import { registerConstraintMessages } from 'src/platform/errors/constraint-messages';

registerConstraintMessages({
  uq_municipality_code: { status: 409, message: 'a municipality with this code exists', pointer: '/code' },
  uq_municipality_name: { status: 409, message: 'a municipality with this name exists', pointer: '/name' },
  uq_municipality_one_own: { status: 409, message: 'another municipality is already the own municipality', pointer: '/isOwn' },
  uq_org_unit_name_per_parent: { status: 409, message: 'a unit with this name exists under the same parent', pointer: '/name' },
  uq_org_unit_one_authority: { status: 409, message: 'the municipality already has an authority' },
  ck_org_unit_place_capacity: { status: 422, message: 'a place-based institution needs a capacity (places)', pointer: '/capacity' },
  ck_org_unit_capacity: { status: 422, message: 'capacity cannot be negative', pointer: '/capacity' },
  ck_org_unit_parent_kind: { status: 422, message: 'an institution belongs under an operating area', pointer: '/operatingAreaId' },
  ck_org_unit_parent_municipality: { status: 422, message: 'the operating area belongs to another municipality', pointer: '/operatingAreaId' },
  fk_org_unit_parent: {
    status: 409,
    message: 'the unit has institutions under it; move or delete them first',
    missing: { status: 422, message: 'the operating area does not exist (any more)', pointer: '/operatingAreaId' },
  },
  fk_org_unit_municipality: {
    status: 409,
    message: 'the municipality has units; delete or move them first',
    missing: { status: 422, message: 'the municipality does not exist (any more)', pointer: '/municipalityId' },
  },
  fk_app_user_org_unit: {
    status: 409,
    message: 'the unit has users; move or deactivate them first',
    missing: { status: 422, message: 'the organisational unit does not exist (any more)', pointer: '/orgUnitId' },
  },
  fk_api_key_org_unit: {
    status: 409,
    message: 'the unit has API keys; revoke and remove them first',
    missing: { status: 422, message: 'the organisational unit does not exist (any more)', pointer: '/orgUnitId' },
  },
  uq_app_user_username: { status: 409, message: 'the username is taken', pointer: '/username' },
  uq_app_user_external_subject: { status: 409, message: 'another user has this external subject', pointer: '/externalSubject' },
  ck_app_user_role_unit: { status: 422, message: 'institution roles belong to an institution; caseworkers and panel members to the authority', pointer: '/orgUnitId' },
  ck_app_user_credential: { status: 422, message: 'a user needs a password or an external subject', pointer: '/password' },
});
