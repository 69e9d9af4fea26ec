import { randomBytes } from 'node:crypto';
import { CredentialsCipher, credentialsKeyBytes } from './credentials-cipher';

describe('provider credentials at rest', () => {
  const key = randomBytes(32).toString('hex');
  const cipher = new CredentialsCipher(key);

  it('encrypts with a fresh IV each time and decrypts for the same tenant only', () => {
    const a = cipher.encrypt('potsdam:geheim', '120540000000');
    const b = cipher.encrypt('potsdam:geheim', '120540000000');
    expect(a).not.toBe(b);
    expect(a).not.toContain('geheim');
    expect(cipher.decrypt(a, '120540000000')).toBe('potsdam:geheim');
    expect(() => cipher.decrypt(a, '010010000000')).toThrow();
    expect(() => new CredentialsCipher(randomBytes(32).toString('base64')).decrypt(a, '120540000000')).toThrow();
  });

  it('takes a 32-byte key as hex or base64 and refuses anything else', () => {
    expect(credentialsKeyBytes(key)).toHaveLength(32);
    expect(credentialsKeyBytes(randomBytes(32).toString('base64'))).toHaveLength(32);
    expect(() => credentialsKeyBytes('short')).toThrow(/32 bytes/);
  });
});
