import { ConfigError } from '@poststelle/platform';
import { loadIntakeSettings } from './intake.config';

/** The one variable without a default: the token issuer. */
const OIDC = { OIDC_ISSUER: 'https://idp.example/realms/poststelle' };

describe('intake settings: form data inline bound', () => {
  it('keeps JSON form data of up to 64 KiB inline by default', () => {
    expect(loadIntakeSettings(OIDC).limits.formDataInlineMaxBytes).toBe(64 * 1024);
    expect(loadIntakeSettings({ ...OIDC, FORM_DATA_INLINE_MAX_BYTES: '0' }).limits.formDataInlineMaxBytes).toBe(0);
  });

  it('refuses a bound that would bring a case message near the envelope bound', () => {
    expect(() => loadIntakeSettings({ ...OIDC, FORM_DATA_INLINE_MAX_BYTES: String(300 * 1024) })).toThrow(ConfigError);
    expect(() => loadIntakeSettings({ ...OIDC, FORM_DATA_INLINE_MAX_BYTES: String(200 * 1024) })).toThrow(
      /FORM_DATA_INLINE_MAX_BYTES must be at most a quarter of MESSAGE_MAX_BYTES/,
    );
    expect(
      loadIntakeSettings({ ...OIDC, FORM_DATA_INLINE_MAX_BYTES: String(200 * 1024), MESSAGE_MAX_BYTES: String(1024 * 1024) }).limits,
    ).toMatchObject({ formDataInlineMaxBytes: 200 * 1024 });
  });
});
