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

describe('intake settings: what Kafka-adapter submissions may assert', () => {
  it('trusts them with nothing by default', () => {
    expect(loadIntakeSettings(OIDC).kafkaAdapter.mayAssert).toEqual([]);
  });

  it('takes a comma-separated list of known assertions', () => {
    expect(loadIntakeSettings({ ...OIDC, INTAKE_KAFKA_ADAPTER_MAY_ASSERT: 'eid, levelOfAssurance' }).kafkaAdapter.mayAssert).toEqual([
      'eid',
      'levelOfAssurance',
    ]);
  });

  it('refuses to start with an unknown assertion', () => {
    expect(() => loadIntakeSettings({ ...OIDC, INTAKE_KAFKA_ADAPTER_MAY_ASSERT: 'eid,everything' })).toThrow(
      /INTAKE_KAFKA_ADAPTER_MAY_ASSERT must be a comma-separated list/,
    );
  });
});
