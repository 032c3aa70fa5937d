import { createCipheriv, createDecipheriv, createHmac, KeyObject, createSecretKey, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from 'src/platform/config/app-config';

const FORMAT_V1 = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const AAD = Buffer.from('bum:citizen.cpr:v1');

/**
 * CPR numbers at rest: AES-256-GCM ciphertext (readable only with CPR_ENCRYPTION_KEY) and a keyed
 * HMAC-SHA256 hash for exact-match search and uniqueness (useless without CPR_HASH_KEY, unlike a plain hash
 * of the 10^10 possible numbers). Neither key is ever stored in the database.
 */
@Injectable()
export class CprCipher {
  private readonly key: KeyObject;
  private readonly hashKey: KeyObject;

  constructor(config: AppConfig) {
    const key = Buffer.from(config.CPR_ENCRYPTION_KEY, 'base64');
    if (key.length !== 32) throw new Error('CPR_ENCRYPTION_KEY must be 32 bytes');
    this.key = createSecretKey(key);
    this.hashKey = createSecretKey(Buffer.from(config.CPR_HASH_KEY, 'utf8'));
  }

  /** version (1 byte) ‖ IV (12) ‖ tag (16) ‖ ciphertext; a fresh IV each time. */
  encrypt(digits: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(AAD);
    const body = Buffer.concat([cipher.update(digits, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([FORMAT_V1]), iv, cipher.getAuthTag(), body]);
  }

  /** Throws when the data was not made with this key or was changed. */
  decrypt(data: Buffer): string {
    if (data.length < 1 + IV_BYTES + TAG_BYTES || data[0] !== FORMAT_V1) throw new Error('not an encrypted CPR number');
    const iv = data.subarray(1, 1 + IV_BYTES);
    const tag = data.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAAD(AAD);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }

  /** Hex HMAC-SHA256 of the ten digits: the same number always gives the same hash. */
  hash(digits: string): string {
    return createHmac('sha256', this.hashKey).update(digits).digest('hex');
  }
}
