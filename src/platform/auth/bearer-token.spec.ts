import { bearerTokenOf } from 'src/platform/auth/policy.guard';

describe('bearer token from the Authorization header', () => {
  it('reads JWTs and API keys, in any case of the scheme', () => {
    expect(bearerTokenOf('Bearer aaa.bbb.ccc')).toBe('aaa.bbb.ccc');
    expect(bearerTokenOf('bearer aaa.bbb.ccc')).toBe('aaa.bbb.ccc');
    expect(bearerTokenOf('Bearer bumk_0123456789ab_Zm9v-YmFy_')).toBe('bumk_0123456789ab_Zm9v-YmFy_');
    expect(bearerTokenOf(['Bearer first', 'Bearer second'])).toBe('first');
  });

  it('refuses other schemes and anything that is not one token', () => {
    for (const header of [
      undefined,
      '',
      'Bearer',
      'Bearer ',
      'Basic dXNlcjpwYXNz',
      'Token abc',
      'Bearer a b',
      'Bearer a,b',
      'Bearerabc',
    ])
      expect(bearerTokenOf(header)).toBeNull();
  });
});
