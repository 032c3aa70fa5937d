import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig } from 'src/platform/config/app-config';
import { createTestApp, DEMO_PASSWORD, seedDemo } from 'test/support/app';
import { ownerClient, resetDatabase } from 'test/support/db';
import { login, request } from 'test/support/http';
import { expectProblem, pointersOf } from 'test/support/problem';
import {
  FakeIdentityProvider,
  hmacToken,
  startFakeIdentityProvider,
  unsignedToken,
} from 'test/support/tokens';

const AUDIENCE = 'bum-api-viborg';

/** The municipality's identity broker (OIDC, keys from its JWKS) and service accounts' API keys. */
describe('external credentials', () => {
  let idp: FakeIdentityProvider;
  let app: NestFastifyApplication;
  let admin: string;
  let authorityId: string;

  beforeAll(async () => {
    idp = await startFakeIdentityProvider();
    await resetDatabase();
    app = await createTestApp({
      config: { OIDC_ISSUER: idp.issuer, OIDC_JWKS_URI: idp.jwksUri, OIDC_AUDIENCE: AUDIENCE },
    });
    await seedDemo(app);
    admin = await login(app, 'admin', DEMO_PASSWORD);
    authorityId = (await request(app, 'GET', '/api/v1/authority', { token: admin })).body.id;
  });
  afterAll(async () => {
    await app.close();
    await idp.close();
  });

  describe('OIDC bearer tokens', () => {
    const subject = 'broker|sagsbehandler-42';
    let userId: string;

    beforeAll(async () => {
      const created = await request(app, 'POST', '/api/v1/users', {
        token: admin,
        body: {
          username: 'oidc.caseworker',
          displayName: 'Broker Bruger',
          role: 'caseworker',
          orgUnitId: authorityId,
          externalSubject: subject,
        },
      });
      expect(created.status).toBe(201);
      userId = created.body.id;
    });

    const claims = (overrides: Record<string, unknown> = {}) => {
      const now = Math.floor(Date.now() / 1000);
      return { sub: subject, iss: idp.issuer, aud: AUDIENCE, iat: now, exp: now + 300, ...overrides };
    };
    const me = (token: string) => request(app, 'GET', '/api/v1/me', { token });

    it('an RS256 token from the broker, signed with a key of its JWKS, is the user with that subject', async () => {
      const res = await me(idp.sign(claims()));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: userId,
        username: 'oidc.caseworker',
        role: 'caseworker',
        externalSubject: subject,
      });
      expect(idp.jwksRequests()).toBeGreaterThanOrEqual(1);
    });

    it('the user cannot log in with a password (they have none)', async () => {
      const res = await request(app, 'POST', '/api/v1/auth/token', {
        body: { username: 'oidc.caseworker', password: 'anything-at-all' },
      });
      expectProblem(res, 401, 'unauthenticated');
    });

    it('a wrong audience is 401', async () => {
      expectProblem(await me(idp.sign(claims({ aud: 'another-service' }))), 401, 'unauthenticated');
    });

    it('an expired token is 401', async () => {
      const now = Math.floor(Date.now() / 1000);
      const res = await me(idp.sign(claims({ iat: now - 3600, exp: now - 30 })));
      expect(expectProblem(res, 401, 'unauthenticated').detail).toMatch(/expired/);
    });

    it('HS256 "signed" with the public key (algorithm confusion) is 401', async () => {
      expectProblem(
        await me(hmacToken(claims(), idp.publicKeyPem, { kid: idp.kid })),
        401,
        'unauthenticated',
      );
      expectProblem(await me(hmacToken(claims(), idp.publicKeyPem)), 401, 'unauthenticated');
    });

    it('alg: none with the broker as issuer is 401', async () => {
      expectProblem(await me(unsignedToken(claims())), 401, 'unauthenticated');
    });

    it('a token signed by another key under the same kid is 401', async () => {
      const impostor = await startFakeIdentityProvider();
      try {
        const forged = impostor.sign(claims(), { keyid: idp.kid });
        expectProblem(await me(forged), 401, 'unauthenticated');
      } finally {
        await impostor.close();
      }
    });

    it('a token with an unknown kid is 401', async () => {
      expectProblem(await me(idp.sign(claims(), { keyid: 'no-such-key' })), 401, 'unauthenticated');
    });

    it("a token whose issuer is someone else, even signed by the broker's key, is 401", async () => {
      expectProblem(await me(idp.sign(claims({ iss: 'http://127.0.0.1:1/evil' }))), 401, 'unauthenticated');
    });

    it('a broker subject without a user here is 401', async () => {
      expectProblem(await me(idp.sign(claims({ sub: 'broker|stranger' }))), 401, 'unauthenticated');
    });

    it('a broker token never passes as a built-in one (the built-in issuer claimed, RS256 signed)', async () => {
      const { JWT_ISSUER, JWT_AUDIENCE } = app.get(AppConfig);
      expectProblem(
        await me(idp.sign(claims({ iss: JWT_ISSUER, aud: JWT_AUDIENCE, sub: userId }))),
        401,
        'unauthenticated',
      );
    });

    it('a deactivated broker user is refused although the token is valid', async () => {
      const current = await request(app, 'GET', `/api/v1/users/${userId}`, { token: admin });
      const off = await request(app, 'PATCH', `/api/v1/users/${userId}`, {
        token: admin,
        body: { active: false },
        headers: { 'if-match': String(current.headers.etag) },
      });
      expect(off.status).toBe(200);
      try {
        expectProblem(await me(idp.sign(claims())), 401, 'unauthenticated');
      } finally {
        const on = await request(app, 'PATCH', `/api/v1/users/${userId}`, {
          token: admin,
          body: { active: true },
          headers: { 'if-match': String(off.headers.etag) },
        });
        expect(on.status).toBe(200);
      }
      expect((await me(idp.sign(claims()))).status).toBe(200);
    });
  });

  describe('API keys', () => {
    let created: { id: string; key: string; prefix: string };

    beforeAll(async () => {
      const res = await request(app, 'POST', '/api/v1/api-keys', {
        token: admin,
        body: {
          name: 'ERP (Prisme)',
          role: 'finance',
          scopes: ['organisation:read'],
          orgUnitId: authorityId,
        },
      });
      expect(res.status).toBe(201);
      expect(res.body.key).toMatch(/^bumk_[0-9a-f]{12}_/);
      created = res.body;
    });

    it('works on a route that accepts its scope', async () => {
      const res = await request(app, 'GET', '/api/v1/institutions', { token: created.key });
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeGreaterThan(0);
      expect((await request(app, 'GET', '/api/v1/authority', { token: created.key })).status).toBe(200);
    });

    it('is refused (403) on routes that accept no API key, even where its role would do', async () => {
      // Every role may read its notifications; a service account is not a person.
      expectProblem(
        await request(app, 'GET', '/api/v1/me/notifications', { token: created.key }),
        403,
        'forbidden',
      );
      expectProblem(await request(app, 'GET', '/api/v1/me', { token: created.key }), 403, 'forbidden');
      expectProblem(
        await request(app, 'GET', '/api/v1/access-log', { token: created.key }),
        403,
        'forbidden',
      );
    });

    it('is refused (403) on a write route, whatever its scope', async () => {
      const res = await request(app, 'POST', '/api/v1/institutions', {
        token: created.key,
        body: { name: 'Fra ERP', institutionType: 'activityCentre' },
      });
      expectProblem(res, 403, 'forbidden');
    });

    it('a key with a different scope cannot use the route', async () => {
      const other = await request(app, 'POST', '/api/v1/api-keys', {
        token: admin,
        body: { name: 'Rapporter', role: 'finance', scopes: ['reports:read'], orgUnitId: authorityId },
      });
      expect(other.status).toBe(201);
      expectProblem(
        await request(app, 'GET', '/api/v1/institutions', { token: other.body.key }),
        403,
        'forbidden',
      );
    });

    it('a wrong secret with a real prefix is 401', async () => {
      const tampered = created.key.slice(0, -4) + (created.key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
      expectProblem(
        await request(app, 'GET', '/api/v1/institutions', { token: tampered }),
        401,
        'unauthenticated',
      );
    });

    it('the secret is never shown again: not by the list, not in any form', async () => {
      const res = await request(app, 'GET', '/api/v1/api-keys', { token: admin });
      expect(res.status).toBe(200);
      const listed = (res.body as { id: string }[]).find((k) => k.id === created.id);
      expect(listed).toMatchObject({
        id: created.id,
        prefix: created.prefix,
        scopes: ['organisation:read'],
        role: 'finance',
        revokedAt: null,
      });
      expect(listed).not.toHaveProperty('key');
      expect(listed).not.toHaveProperty('secretHash');
      const secret = created.key.split('_').slice(2).join('_');
      expect(res.text).not.toContain(secret);
      expect(res.text).not.toContain(created.key);
    });

    it('records when it was last used', async () => {
      await request(app, 'GET', '/api/v1/institutions', { token: created.key });
      const listed = (await request(app, 'GET', '/api/v1/api-keys', { token: admin })).body.find(
        (k: { id: string }) => k.id === created.id,
      );
      expect(listed.lastUsedAt).toEqual(expect.any(String));
    });

    it('an admin-role key cannot be made, nor one with an unknown scope', async () => {
      const adminKey = await request(app, 'POST', '/api/v1/api-keys', {
        token: admin,
        body: { name: 'Alt', role: 'admin', scopes: ['organisation:read'], orgUnitId: authorityId },
      });
      expectProblem(adminKey, 400, 'validationFailed');
      const badScope = await request(app, 'POST', '/api/v1/api-keys', {
        token: admin,
        body: { name: 'Alt', role: 'finance', scopes: ['everything'], orgUnitId: authorityId },
      });
      expectProblem(badScope, 400, 'validationFailed');
    });

    it('an expired key is 401, and a past expiry cannot be set', async () => {
      const past = await request(app, 'POST', '/api/v1/api-keys', {
        token: admin,
        body: {
          name: 'Forældet',
          role: 'finance',
          scopes: ['organisation:read'],
          orgUnitId: authorityId,
          expiresAt: '2020-01-01T00:00:00Z',
        },
      });
      expect(pointersOf(expectProblem(past, 422, 'ruleViolated'))).toEqual(['/expiresAt']);

      const res = await request(app, 'POST', '/api/v1/api-keys', {
        token: admin,
        body: {
          name: 'Kortlivet',
          role: 'finance',
          scopes: ['organisation:read'],
          orgUnitId: authorityId,
          expiresAt: new Date(Date.now() + 3600_000).toISOString(),
        },
      });
      expect(res.status).toBe(201);
      expect((await request(app, 'GET', '/api/v1/institutions', { token: res.body.key })).status).toBe(200);
      // Time passes (as the owner: the expiry is checked against the database clock).
      const owner = await ownerClient();
      try {
        await owner.query(`UPDATE api_key SET expires_at = now() - interval '1 second' WHERE id = $1`, [
          res.body.id,
        ]);
      } finally {
        await owner.end();
      }
      expectProblem(
        await request(app, 'GET', '/api/v1/institutions', { token: res.body.key }),
        401,
        'unauthenticated',
      );
    });

    it('after revocation the key is 401 at once', async () => {
      const key = await request(app, 'POST', '/api/v1/api-keys', {
        token: admin,
        body: { name: 'Midlertidig', role: 'finance', scopes: ['organisation:read'], orgUnitId: authorityId },
      });
      expect((await request(app, 'GET', '/api/v1/institutions', { token: key.body.key })).status).toBe(200);
      const revoked = await request(app, 'POST', `/api/v1/api-keys/${key.body.id}/revoke`, { token: admin });
      expect(revoked.status).toBe(200);
      expect(revoked.body.revokedAt).toEqual(expect.any(String));
      expect(revoked.body).not.toHaveProperty('key');
      expectProblem(
        await request(app, 'GET', '/api/v1/institutions', { token: key.body.key }),
        401,
        'unauthenticated',
      );
      // The other key is unaffected.
      expect((await request(app, 'GET', '/api/v1/institutions', { token: created.key })).status).toBe(200);
    });

    it('only administrators manage keys', async () => {
      const financeUser = await login(app, 'finance', DEMO_PASSWORD);
      expectProblem(await request(app, 'GET', '/api/v1/api-keys', { token: financeUser }), 403, 'forbidden');
      expectProblem(
        await request(app, 'POST', '/api/v1/api-keys', {
          token: financeUser,
          body: { name: 'Eget', role: 'finance', scopes: ['organisation:read'], orgUnitId: authorityId },
        }),
        403,
        'forbidden',
      );
      expectProblem(
        await request(app, 'POST', `/api/v1/api-keys/${created.id}/revoke`, { token: financeUser }),
        403,
        'forbidden',
      );
      // A key cannot manage keys either.
      expectProblem(await request(app, 'GET', '/api/v1/api-keys', { token: created.key }), 403, 'forbidden');
    });
  });
});
