import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './load-config';
import { ServiceEnv, platformSettings } from './service-env';

const OIDC = { OIDC_ISSUER: 'https://idp.example/realms/poststelle' };

describe('configuration is validated once at start-up', () => {
  it('applies defaults and converts types', () => {
    const env = loadConfig(ServiceEnv, { ...OIDC, HTTP_PORT: '9000', KAFKA_BROKERS: 'a:1,b:2', KAFKA_NAMESPACE: 'ci-1' });
    const s = platformSettings(env, 'routing', 'routing', 8082);
    expect(s.http.port).toBe(9000);
    expect(s.kafka.brokers).toEqual(['a:1', 'b:2']);
    expect(s.kafka.namespace).toBe('ci-1');
    expect(s.consumer.maxAttempts).toBe(5);
    expect(platformSettings(loadConfig(ServiceEnv, OIDC), 'routing', 'routing', 8082).http.port).toBe(8082);
    expect(s.http.host).toBe('0.0.0.0');
  });

  it('binds to a configured address, and refuses one that is not an IP address', () => {
    expect(platformSettings(loadConfig(ServiceEnv, { ...OIDC, HTTP_HOST: '127.0.0.1' }), 'routing', 'routing', 8082).http.host).toBe(
      '127.0.0.1',
    );
    expect(platformSettings(loadConfig(ServiceEnv, { ...OIDC, HTTP_HOST: '::' }), 'routing', 'routing', 8082).http.host).toBe('::');
    expect(() => loadConfig(ServiceEnv, { ...OIDC, HTTP_HOST: 'everywhere' })).toThrow(/HTTP_HOST must be an IPv4 or IPv6 address/);
  });

  it('takes the cluster-mode topic settings and keeps the envelope bound under the topic limit', () => {
    const s = platformSettings(
      loadConfig(ServiceEnv, { ...OIDC, KAFKA_REPLICATION_FACTOR: '3', KAFKA_MIN_INSYNC_REPLICAS: '2' }),
      'routing',
      'routing',
      8082,
    );
    expect(s.kafka).toMatchObject({ replicationFactor: 3, minInsyncReplicas: 2, topicMaxMessageBytes: 1024 * 1024 });
    expect(s.messageMaxBytes).toBe(512 * 1024);
    expect(() => loadConfig(ServiceEnv, { ...OIDC, KAFKA_MIN_INSYNC_REPLICAS: '0' })).toThrow(/KAFKA_MIN_INSYNC_REPLICAS/);
  });

  it('lists every invalid variable in one error', () => {
    let error: unknown;
    try {
      loadConfig(ServiceEnv, { ...OIDC, HTTP_PORT: 'eighty', KAFKA_BROKERS: 'nohostport', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const vars = (error as ConfigError).problems.map((p) => p.split(':')[0]);
    expect(new Set(vars)).toEqual(new Set(['HTTP_PORT', 'KAFKA_BROKERS', 'DATABASE_URL', 'LOG_LEVEL']));
  });
});

describe('Kafka credentials', () => {
  it('passes SASL/SCRAM credentials to the Kafka client settings', () => {
    const env = loadConfig(ServiceEnv, {
      ...OIDC,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'svc-routing',
      KAFKA_SASL_PASSWORD: 's3cret',
      KAFKA_SSL: 'true',
    });
    const s = platformSettings(env, 'routing', 'routing', 8082);
    expect(s.kafka.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'svc-routing', password: 's3cret' });
    expect(s.kafka.ssl).toBe(true);
    expect(platformSettings(loadConfig(ServiceEnv, { ...OIDC, KAFKA_SSL: 'false' }), 'routing', 'routing', 8082).kafka.ssl).toBe(false);
  });

  it('reads the password from KAFKA_SASL_PASSWORD_FILE, so it never stands on a command line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secret-'));
    const file = join(dir, 'kafka-password');
    writeFileSync(file, 'from-a-mounted-secret\n', { mode: 0o600 });
    const base = { ...OIDC, KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'svc-routing' };
    const s = platformSettings(loadConfig(ServiceEnv, { ...base, KAFKA_SASL_PASSWORD_FILE: file }), 'routing', 'routing', 8082);
    expect(s.kafka.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'svc-routing', password: 'from-a-mounted-secret' });
    expect(() => loadConfig(ServiceEnv, { ...base, KAFKA_SASL_PASSWORD_FILE: join(dir, 'missing') })).toThrow(
      /KAFKA_SASL_PASSWORD_FILE: cannot read .*missing \(ENOENT\)/,
    );
    expect(() => loadConfig(ServiceEnv, { ...base, KAFKA_SASL_PASSWORD: 'x', KAFKA_SASL_PASSWORD_FILE: file })).toThrow(/not both/);
    rmSync(dir, { recursive: true });
  });

  it('requires username and password once a mechanism is set', () => {
    expect(() => loadConfig(ServiceEnv, { ...OIDC, KAFKA_SASL_MECHANISM: 'scram-sha-512' })).toThrow(
      /KAFKA_SASL_USERNAME[\s\S]*KAFKA_SASL_PASSWORD/,
    );
  });
});

describe('token issuer', () => {
  it('is required, must be a URL, and maps into the auth settings with the defaults', () => {
    expect(() => loadConfig(ServiceEnv, {})).toThrow(/OIDC_ISSUER/);
    expect(() => loadConfig(ServiceEnv, { OIDC_ISSUER: 'not a url' })).toThrow(/OIDC_ISSUER must be the issuer URL/);
    const s = platformSettings(loadConfig(ServiceEnv, { ...OIDC, OIDC_ROLES_CLAIM: 'realm_access.roles' }), 'routing', 'routing', 8082);
    expect(s.auth).toEqual({
      issuer: OIDC.OIDC_ISSUER,
      audience: 'urn:poststelle:api',
      claims: { roles: 'realm_access.roles', tenants: 'tenants' },
      clockToleranceSeconds: 30,
    });
  });
});
