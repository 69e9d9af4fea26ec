import { ConfigError } from '@poststelle/platform';
import { loadIntakeSettings } from './intake.config';

describe('intake settings: form data inline bound', () => {
  it('keeps JSON form data of up to 64 KiB inline by default', () => {
    expect(loadIntakeSettings({}).limits.formDataInlineMaxBytes).toBe(64 * 1024);
    expect(loadIntakeSettings({ FORM_DATA_INLINE_MAX_BYTES: '0' }).limits.formDataInlineMaxBytes).toBe(0);
  });

  it('refuses a bound that would bring a case message near the envelope bound', () => {
    expect(() => loadIntakeSettings({ FORM_DATA_INLINE_MAX_BYTES: String(300 * 1024) })).toThrow(ConfigError);
    expect(() => loadIntakeSettings({ FORM_DATA_INLINE_MAX_BYTES: String(200 * 1024) })).toThrow(
      /FORM_DATA_INLINE_MAX_BYTES must be at most a quarter of MESSAGE_MAX_BYTES/,
    );
    expect(
      loadIntakeSettings({ FORM_DATA_INLINE_MAX_BYTES: String(200 * 1024), MESSAGE_MAX_BYTES: String(1024 * 1024) }).limits,
    ).toMatchObject({ formDataInlineMaxBytes: 200 * 1024 });
  });
});
