import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { Principal } from 'src/platform/auth/principal';
import { DomainError } from 'src/platform/errors/domain-error';
import { DEFAULT_PURPOSE, Purpose, PURPOSES } from 'src/modules/citizens/citizens.constants';

export function purposeOf(principal: Principal, given: string | undefined): Purpose {
  if (given === undefined || given === '') return DEFAULT_PURPOSE[principal.role];
  if (!(PURPOSES as readonly string[]).includes(given))
    throw new DomainError('validationFailed', `X-Purpose must be one of ${PURPOSES.join(', ')}`, [{ pointer: '#header/X-Purpose', reason: 'unknown purpose' }]);
  return given as Purpose;
}

/** The purpose of this access (X-Purpose header, else the role's default), recorded in the access log. */
export const AccessPurpose = createParamDecorator((_: unknown, ctx: ExecutionContext): Purpose => {
  const req = ctx.switchToHttp().getRequest<{ user: Principal; headers: Record<string, string | string[] | undefined> }>();
  const header = req.headers['x-purpose'];
  return purposeOf(req.user, Array.isArray(header) ? header[0] : header);
});

/** Documents X-Purpose on every route of a controller. */
export const ApiPurposeHeader = () =>
  ApiHeader({
    name: 'X-Purpose',
    required: false,
    enum: [...PURPOSES],
    description: 'Formål: why you access the personal data, recorded in the access log. Default by role (caseworker: visitation).',
  });
