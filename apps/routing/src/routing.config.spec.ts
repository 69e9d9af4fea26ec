import { ConfigError } from '@poststelle/platform';
import { loadRoutingSettings } from './routing.config';

/** The one variable without a default: the token issuer. */
const OIDC = { OIDC_ISSUER: 'https://idp.example/realms/poststelle' };

describe('routing settings: status topics', () => {
  it('reads the deprecated shared status topic unless switched off, and rescans every 30 s', () => {
    expect(loadRoutingSettings(OIDC).status).toEqual({ legacySharedTopic: true, topicRescanMs: 30000 });
  });

  it.each([
    ['false', false],
    ['0', false],
    ['true', true],
    ['1', true],
  ])('LEGACY_SHARED_STATUS_TOPIC=%s gives %s', (raw, expected) => {
    expect(loadRoutingSettings({ ...OIDC, LEGACY_SHARED_STATUS_TOPIC: raw }).status.legacySharedTopic).toBe(expected);
  });

  it('refuses a flag value it does not understand and a rescan interval out of range', () => {
    expect(() => loadRoutingSettings({ ...OIDC, LEGACY_SHARED_STATUS_TOPIC: 'no' })).toThrow(ConfigError);
    expect(() => loadRoutingSettings({ ...OIDC, STATUS_TOPIC_RESCAN_MS: '10' })).toThrow(/STATUS_TOPIC_RESCAN_MS/);
  });
});
