import { ConfigError, loadConfig } from 'src/platform/config/app-config';

describe('loadConfig', () => {
  it('has defaults that work on a developer machine', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/bum');
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.PORT).toBe(3000);
    expect(config.DEMO_SEED).toBe(false);
  });

  it('converts numbers, booleans and lists', () => {
    const config = loadConfig({ PORT: '8080', DEMO_SEED: 'true', OIDC_ALGORITHMS: 'RS256, ES256' });
    expect(config.PORT).toBe(8080);
    expect(config.DEMO_SEED).toBe(true);
    expect(config.OIDC_ALGORITHMS).toEqual(['RS256', 'ES256']);
  });

  it('lists every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', JWT_SECRET: 'short', OIDC_ALGORITHMS: 'none', LOG_LEVEL: 'loud' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((p) => p.split(':')[0]);
    expect(problems.sort()).toEqual(['DATABASE_URL', 'JWT_SECRET', 'LOG_LEVEL', 'OIDC_ALGORITHMS', 'PORT']);
    expect((error as ConfigError).message).toContain('eighty');
  });

  it('refuses demo data and the default secrets and keys in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DEMO_SEED: 'true' })).toThrow(/DEMO_SEED[\s\S]*JWT_SECRET[\s\S]*CPR_ENCRYPTION_KEY[\s\S]*CPR_HASH_KEY/);
    const own = { JWT_SECRET: 'x'.repeat(40), CPR_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'), CPR_HASH_KEY: 'h'.repeat(40) };
    expect(() => loadConfig({ NODE_ENV: 'production', ...own })).not.toThrow();
    expect(() => loadConfig({ NODE_ENV: 'production', ...own, CPR_HASH_KEY: undefined })).toThrow(/CPR_HASH_KEY/);
  });

  it('needs a CPR key of exactly 32 bytes', () => {
    expect(() => loadConfig({ CPR_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') })).toThrow(/CPR_ENCRYPTION_KEY/);
    expect(() => loadConfig({ CPR_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64') })).not.toThrow();
  });

  it('counts a paper letter as received after 6 working days unless configured (0-20)', () => {
    expect(loadConfig({}).DECISION_LETTER_RECEIPT_WORKING_DAYS).toBe(6);
    expect(loadConfig({ DECISION_LETTER_RECEIPT_WORKING_DAYS: '2' }).DECISION_LETTER_RECEIPT_WORKING_DAYS).toBe(2);
    expect(() => loadConfig({ DECISION_LETTER_RECEIPT_WORKING_DAYS: '21' })).toThrow(/DECISION_LETTER_RECEIPT_WORKING_DAYS/);
    expect(() => loadConfig({ DECISION_LETTER_RECEIPT_WORKING_DAYS: '1.5' })).toThrow(/DECISION_LETTER_RECEIPT_WORKING_DAYS/);
  });

  it('gives a remitted case 28 days to be decided again unless configured (1-365 whole days)', () => {
    expect(loadConfig({}).REMITTED_DECISION_DEADLINE_DAYS).toBe(28);
    expect(loadConfig({ REMITTED_DECISION_DEADLINE_DAYS: '42' }).REMITTED_DECISION_DEADLINE_DAYS).toBe(42);
    expect(() => loadConfig({ REMITTED_DECISION_DEADLINE_DAYS: '0' })).toThrow(/REMITTED_DECISION_DEADLINE_DAYS/);
    expect(() => loadConfig({ REMITTED_DECISION_DEADLINE_DAYS: 'four weeks' })).toThrow(/REMITTED_DECISION_DEADLINE_DAYS/);
  });

  it('needs an audience with an OIDC issuer', () => {
    expect(() => loadConfig({ OIDC_ISSUER: 'https://broker.example' })).toThrow(/OIDC_AUDIENCE/);
  });
});
