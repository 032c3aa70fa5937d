import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestApp, DEMO_PASSWORD, seedDemo } from 'test/support/app';
import { resetDatabase } from 'test/support/db';
import { login, request } from 'test/support/http';
import { expectProblem } from 'test/support/problem';
import { FakeIdentityProvider, startFakeIdentityProvider } from 'test/support/tokens';

const AUDIENCE = 'bum-api-viborg';

/**
 * The identity broker going away is an outage (503, retry), not bad credentials. A file of its own: one
 * application per process (passport and the transaction host are process-wide singletons).
 */
describe('when the OIDC broker cannot be reached', () => {
  let broker: FakeIdentityProvider;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    broker = await startFakeIdentityProvider();
    await resetDatabase();
    app = await createTestApp({
      config: { OIDC_ISSUER: broker.issuer, OIDC_JWKS_URI: broker.jwksUri, OIDC_AUDIENCE: AUDIENCE },
    });
    await seedDemo(app);
    const admin = await login(app, 'admin', DEMO_PASSWORD);
    const authorityId = (await request(app, 'GET', '/api/v1/authority', { token: admin })).body.id;
    const created = await request(app, 'POST', '/api/v1/users', {
      token: admin,
      body: {
        username: 'oidc.outage',
        displayName: 'Udfald',
        role: 'caseworker',
        orgUnitId: authorityId,
        externalSubject: 'broker|outage',
      },
    });
    expect(created.status).toBe(201);
  });
  afterAll(() => app.close());

  const token = (kid?: string) => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: 'broker|outage', iss: broker.issuer, aud: AUDIENCE, iat: now, exp: now + 300 };
    return broker.sign(claims, kid ? { keyid: kid } : {});
  };
  const me = (t: string) => request(app, 'GET', '/api/v1/me', { token: t });

  it('a key fetched before keeps working; one that must be fetched is 503 with Retry-After, not 401', async () => {
    expect((await me(token())).status).toBe(200);
    await broker.close();
    // Cached: the broker is not needed.
    expect((await me(token())).status).toBe(200);
    // A new kid needs the JWKS, which cannot be fetched.
    const res = await me(token('rotated-key'));
    expectProblem(res, 503, 'dependencyUnavailable');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // Built-in log-in and tokens are unaffected by the broker's outage.
    const admin = await login(app, 'admin', DEMO_PASSWORD);
    expect((await me(admin)).status).toBe(200);
  });
});
