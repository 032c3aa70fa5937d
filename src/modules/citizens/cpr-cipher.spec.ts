import { loadConfig } from 'src/platform/config/app-config';
import { CprCipher } from 'src/modules/citizens/cpr-cipher';

describe('CprCipher', () => {
  const cipher = new CprCipher(loadConfig({}));
  const other = new CprCipher(loadConfig({ CPR_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'), CPR_HASH_KEY: 'another-hash-key-of-at-least-32-chars' }));

  it('encrypts with a fresh IV each time, so equal numbers do not look equal, and decrypts', () => {
    const a = cipher.encrypt('0101901234');
    const b = cipher.encrypt('0101901234');
    expect(a.equals(b)).toBe(false);
    expect(a.toString('latin1')).not.toContain('0101901234');
    expect(a.toString('hex')).not.toContain(Buffer.from('0101901234').toString('hex'));
    expect(cipher.decrypt(a)).toBe('0101901234');
    expect(cipher.decrypt(b)).toBe('0101901234');
  });

  it('refuses ciphertext made with another key or changed in any byte', () => {
    const a = cipher.encrypt('0101901234');
    expect(() => other.decrypt(a)).toThrow();
    for (const i of [0, 5, 20, a.length - 1]) {
      const changed = Buffer.from(a);
      changed[i] ^= 1;
      expect(() => cipher.decrypt(changed)).toThrow();
    }
    expect(() => cipher.decrypt(Buffer.alloc(10))).toThrow();
  });

  it('hashes deterministically with its key: same number same hash, other key other hash', () => {
    expect(cipher.hash('0101901234')).toBe(cipher.hash('0101901234'));
    expect(cipher.hash('0101901234')).toMatch(/^[0-9a-f]{64}$/);
    expect(cipher.hash('0101901234')).not.toBe(cipher.hash('0101901235'));
    expect(cipher.hash('0101901234')).not.toBe(other.hash('0101901234'));
  });

  it('refuses a key that is not 32 bytes', () => {
    const config = loadConfig({});
    config.CPR_ENCRYPTION_KEY = Buffer.alloc(16).toString('base64');
    expect(() => new CprCipher(config)).toThrow(/32 bytes/);
  });
});
