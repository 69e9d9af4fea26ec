import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const PREFIX = 'enc:v1:';

/** A 32-byte key written as 64 hex digits or as base64 (44 characters). */
export const CREDENTIALS_KEY = /^(?:[0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/;

export function credentialsKeyBytes(text: string): Buffer {
  if (!CREDENTIALS_KEY.test(text)) throw new Error('the credentials key must be 32 bytes as 64 hex digits or base64');
  return Buffer.from(text, /^[0-9a-fA-F]{64}$/.test(text) ? 'hex' : 'base64');
}

/**
 * Provider credentials at rest: AES-256-GCM with a fresh 96-bit IV per value, the tenant's ARS as additional
 * authenticated data (a value copied to another tenant's row does not decrypt). Stored as
 * `enc:v1:<iv>:<tag>:<ciphertext>` (base64 parts).
 */
export class CredentialsCipher {
  private readonly key: Buffer;

  constructor(key: string) {
    this.key = credentialsKeyBytes(key);
  }

  static isEncrypted(stored: string): boolean {
    return stored.startsWith(PREFIX);
  }

  encrypt(plain: string, tenantArs: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(tenantArs, 'utf8'));
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${PREFIX}${[iv, cipher.getAuthTag(), ct].map((b) => b.toString('base64')).join(':')}`;
  }

  /** The clear value; throws when the value was not encrypted with this key for this tenant. */
  decrypt(stored: string, tenantArs: string): string {
    const parts = stored.slice(PREFIX.length).split(':');
    if (!CredentialsCipher.isEncrypted(stored) || parts.length !== 3) throw new Error('not an encrypted credentials value');
    const [iv, tag, ct] = parts.map((p) => Buffer.from(p, 'base64')) as [Buffer, Buffer, Buffer];
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAAD(Buffer.from(tenantArs, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
  }
}
