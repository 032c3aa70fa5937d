import { createSecretKey, KeyObject, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import jwt, { JwtPayload } from 'jsonwebtoken';
import { JwksClient } from 'jwks-rsa';
import { AppConfig } from 'src/platform/config/app-config';
import { Clock } from 'src/platform/clock/clock';
import { DomainError } from 'src/platform/errors/domain-error';

export interface VerifiedToken {
  issuer: 'builtIn' | 'oidc';
  subject: string;
}

export class InvalidTokenError extends Error {}

/**
 * Issues tokens for the built-in issuer (HS256) and verifies both those and the configured OIDC issuer's
 * (asymmetric algorithms only, keys from its JWKS). Signature, algorithm, issuer, audience and expiry are
 * all checked; `alg: none` and algorithm confusion are refused by the allow-lists.
 */
@Injectable()
export class TokenService {
  private readonly jwks?: JwksClient;
  /**
   * The HMAC key as a KeyObject, made once: given a string, jsonwebtoken builds a key object on every call
   * (after first trying it as a public key), which was an eighth of the API's CPU under load.
   */
  private readonly secret: KeyObject;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.secret = createSecretKey(Buffer.from(config.JWT_SECRET, 'utf8'));
    if (config.OIDC_ISSUER) {
      this.jwks = new JwksClient({
        jwksUri: config.OIDC_JWKS_URI ?? `${config.OIDC_ISSUER.replace(/\/$/, '')}/.well-known/jwks.json`,
        cache: true,
        cacheMaxAge: 10 * 60 * 1000,
        rateLimit: true,
        jwksRequestsPerMinute: 10,
        timeout: 3000,
      });
    }
  }

  issue(userId: string): { accessToken: string; expiresIn: number } {
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const accessToken = jwt.sign({ iat: now, exp: now + this.config.JWT_TTL_SECONDS, jti: randomUUID() }, this.secret, {
      algorithm: 'HS256',
      issuer: this.config.JWT_ISSUER,
      audience: this.config.JWT_AUDIENCE,
      subject: userId,
    });
    return { accessToken, expiresIn: this.config.JWT_TTL_SECONDS };
  }

  async verify(token: string): Promise<VerifiedToken> {
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload === 'string') throw new InvalidTokenError('not a JWT');
    const iss = (decoded.payload as JwtPayload).iss;
    const clockTimestamp = Math.floor(this.clock.now().getTime() / 1000);
    if (iss === this.config.JWT_ISSUER) {
      const payload = this.check(() =>
        jwt.verify(token, this.secret, {
          algorithms: ['HS256'],
          issuer: this.config.JWT_ISSUER,
          audience: this.config.JWT_AUDIENCE,
          clockTimestamp,
        }),
      );
      if (!payload.sub) throw new InvalidTokenError('token has no subject');
      return { issuer: 'builtIn', subject: payload.sub };
    }
    if (this.jwks && this.config.OIDC_ISSUER && iss === this.config.OIDC_ISSUER) {
      const alg = decoded.header.alg;
      if (!this.config.OIDC_ALGORITHMS.includes(alg)) throw new InvalidTokenError(`algorithm ${alg} not allowed`);
      let key: string;
      try {
        key = (await this.jwks.getSigningKey(decoded.header.kid)).getPublicKey();
      } catch (err) {
        // The broker being unreachable is an outage (503, retry), not a bad token: a 401 would send every
        // user of the municipality back to log in while their tokens are fine.
        if ((err as { isEndpointUnavailable?: boolean }).isEndpointUnavailable)
          throw new DomainError('dependencyUnavailable', 'the identity provider cannot be reached; try again shortly', [], {
            'retry-after': '5',
          });
        throw new InvalidTokenError('signing key not found');
      }
      const payload = this.check(() =>
        jwt.verify(token, key, {
          algorithms: this.config.OIDC_ALGORITHMS as jwt.Algorithm[],
          issuer: this.config.OIDC_ISSUER,
          audience: this.config.OIDC_AUDIENCE,
          clockTimestamp,
        }),
      );
      const subject = payload[this.config.OIDC_SUBJECT_CLAIM];
      if (typeof subject !== 'string' || !subject) throw new InvalidTokenError('token has no subject claim');
      return { issuer: 'oidc', subject };
    }
    throw new InvalidTokenError('unknown issuer');
  }

  private check(verify: () => string | JwtPayload): JwtPayload {
    try {
      const payload = verify();
      if (typeof payload === 'string') throw new InvalidTokenError('unexpected payload');
      return payload;
    } catch (err) {
      throw new InvalidTokenError((err as Error).message);
    }
  }
}
