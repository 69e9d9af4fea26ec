import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@poststelle/platform';
import { loadPaymentSettings } from './payment.config';

const OIDC = { OIDC_ISSUER: 'https://idp.example/realms/poststelle' };
const KEY = 'ab'.repeat(32);

describe('payment settings: the provider credentials key', () => {
  it('does not start without a key, nor with one that is not 32 bytes', () => {
    expect(() => loadPaymentSettings(OIDC)).toThrow(/PAYMENT_CREDENTIALS_KEY/);
    expect(() => loadPaymentSettings({ ...OIDC, PAYMENT_CREDENTIALS_KEY: 'geheim' })).toThrow(ConfigError);
    expect(loadPaymentSettings({ ...OIDC, PAYMENT_CREDENTIALS_KEY: KEY }).provider.credentialsKey).toBe(KEY);
  });

  it('reads the key from PAYMENT_CREDENTIALS_KEY_FILE, and refuses both at once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ps-payment-key-'));
    try {
      await writeFile(join(dir, 'key'), `${KEY}\n`);
      const fromFile = { ...OIDC, PAYMENT_CREDENTIALS_KEY_FILE: join(dir, 'key') };
      expect(loadPaymentSettings(fromFile).provider.credentialsKey).toBe(KEY);
      expect(() => loadPaymentSettings({ ...fromFile, PAYMENT_CREDENTIALS_KEY: KEY })).toThrow(/not both/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
