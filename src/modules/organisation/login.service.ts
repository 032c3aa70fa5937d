import { Injectable } from '@nestjs/common';
import argon2 from 'argon2';
import { DataSource } from 'typeorm';
import { TokenService } from 'src/platform/auth/token.service';
import { AppConfig } from 'src/platform/config/app-config';
import { DomainError } from 'src/platform/errors/domain-error';
import { TokenView } from 'src/modules/organisation/create-token.dto';
import { hashPassword } from 'src/modules/organisation/user.service';

// Every 401 names the scheme to authenticate with (RFC 9110 §11.6.1).
const WWW_AUTHENTICATE = { 'www-authenticate': 'Bearer realm="bum"' };

const invalid = () => new DomainError('unauthenticated', 'the username or password is wrong', [], WWW_AUTHENTICATE);

/**
 * The built-in issuer's log-in. Every attempt is recorded; after LOGIN_MAX_FAILURES failures within the
 * window the account is locked until an administrator unlocks it. Attempts commit even when refused.
 */
@Injectable()
export class LoginService {
  private dummyHash?: Promise<string>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
    private readonly config: AppConfig,
  ) {}

  async login(username: string, password: string, clientIp: string | null): Promise<TokenView> {
    const [user]: { id: string; password_hash: string | null; active: boolean; locked_at: Date | null }[] =
      await this.dataSource.query(
        `SELECT id, password_hash, active, locked_at FROM app_user WHERE lower(username) = lower($1)`,
        [username],
      );
    if (!user || !user.password_hash || !user.active) {
      // Same work as a real check, so that response times do not reveal which usernames exist.
      await argon2.verify(await (this.dummyHash ??= hashPassword('not-a-real-password')), password);
      await this.record(user?.id ?? null, username, false, clientIp);
      throw invalid();
    }
    if (user.locked_at) {
      await this.record(user.id, username, false, clientIp);
      throw new DomainError('accountLocked', 'the account is locked after repeated failed log-ins; an administrator can unlock it', [], WWW_AUTHENTICATE);
    }
    const ok = await argon2.verify(user.password_hash, password);
    if (!ok) {
      const locked = await this.recordFailure(user.id, username, clientIp);
      if (locked)
        throw new DomainError('accountLocked', 'the password is wrong, and the account is now locked; an administrator can unlock it', [], WWW_AUTHENTICATE);
      throw invalid();
    }
    await this.record(user.id, username, true, clientIp);
    const token = this.tokens.issue(user.id);
    return { accessToken: token.accessToken, tokenType: 'Bearer', expiresIn: token.expiresIn };
  }

  private async record(userId: string | null, username: string, succeeded: boolean, clientIp: string | null) {
    await this.dataSource.query(
      'INSERT INTO login_attempt (user_id, username, succeeded, client_ip) VALUES ($1, $2, $3, $4)',
      [userId, username.slice(0, 100), succeeded, clientIp],
    );
  }

  /** Records a failure and locks the account when the failures in the window reach the limit. */
  private async recordFailure(userId: string, username: string, clientIp: string | null): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      // Serialise a user's concurrent attempts so that the count is exact.
      await tx.query('SELECT 1 FROM app_user WHERE id = $1 FOR UPDATE', [userId]);
      await tx.query('INSERT INTO login_attempt (user_id, username, succeeded, client_ip) VALUES ($1, $2, false, $3)', [
        userId,
        username.slice(0, 100),
        clientIp,
      ]);
      const [{ failures }]: { failures: number }[] = await tx.query(
        `SELECT count(*)::int AS failures FROM login_attempt a
          WHERE a.user_id = $1 AND NOT a.succeeded
            AND a.attempted_at > greatest(
              now() - make_interval(hours => $2),
              coalesce((SELECT failures_reset_at FROM app_user WHERE id = $1), '-infinity'),
              coalesce((SELECT max(attempted_at) FROM login_attempt WHERE user_id = $1 AND succeeded), '-infinity'))`,
        [userId, this.config.LOGIN_FAILURE_WINDOW_HOURS],
      );
      if (failures < this.config.LOGIN_MAX_FAILURES) return false;
      await tx.query('UPDATE app_user SET locked_at = now(), version = version + 1 WHERE id = $1 AND locked_at IS NULL', [userId]);
      return true;
    });
  }
}
