import { Injectable } from '@nestjs/common';
import { Principal, Role } from 'src/platform/auth/principal';
import { DomainError, ruleViolated } from 'src/platform/errors/domain-error';
import { CASEWORKER_ROLES } from 'src/modules/citizens/citizens.constants';
import { UserService } from 'src/modules/organisation/user.service';

/** Who may be responsible for a case or hold a visit: an active caseworker or panel member (a user id). */
@Injectable()
export class CaseworkerCheck {
  constructor(private readonly users: UserService) {}

  isCaseworkerRole(role: Role): boolean {
    return CASEWORKER_ROLES.includes(role);
  }

  async require(principal: Principal, userId: string, pointer: string): Promise<void> {
    const user = await this.users.get(principal, userId).catch((err: unknown) => {
      if (err instanceof DomainError && err.code === 'notFound') return null;
      throw err;
    });
    if (!user || !user.active || !this.isCaseworkerRole(user.role))
      throw ruleViolated('the user is not an active caseworker or panel member', pointer);
  }
}
