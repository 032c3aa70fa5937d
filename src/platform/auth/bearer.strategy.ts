import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { IDENTITY_STORE, IdentityStore, Principal } from 'src/platform/auth/principal';
import { InvalidTokenError, TokenService } from 'src/platform/auth/token.service';
import { DomainError } from 'src/platform/errors/domain-error';

export const API_KEY_PREFIX = 'bumk_';

/** One bearer scheme for people (JWT) and service accounts (API keys start with `bumk_`). */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, 'bearer') {
  constructor(
    private readonly tokens: TokenService,
    @Inject(IDENTITY_STORE) private readonly identities: IdentityStore,
  ) {
    super();
  }

  async validate(token: string): Promise<Principal> {
    if (token.startsWith(API_KEY_PREFIX)) {
      const principal = await this.identities.principalForApiKey(token);
      if (!principal) throw unauthenticated('the API key is unknown, revoked or expired');
      return principal;
    }
    let verified;
    try {
      verified = await this.tokens.verify(token);
    } catch (err) {
      if (err instanceof InvalidTokenError) throw unauthenticated(`the token is invalid: ${err.message}`);
      throw err;
    }
    const principal =
      verified.issuer === 'builtIn'
        ? await this.identities.principalForUser(verified.subject)
        : await this.identities.principalForExternalSubject(verified.subject);
    if (!principal) throw unauthenticated('the user is unknown, inactive or locked');
    return principal;
  }
}

export const unauthenticated = (message: string) =>
  new DomainError('unauthenticated', message, [], { 'www-authenticate': 'Bearer realm="bum"' });
