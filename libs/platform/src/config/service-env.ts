import { IsBoolean, IsIn, IsInt, IsIP, IsOptional, IsString, IsUrl, Matches, Max, Min, ValidateIf } from 'class-validator';
import { Transform } from 'class-transformer';
import { type KafkaSettings } from '@poststelle/messaging';
import { type DatabaseSettings } from '@poststelle/persistence';
import { type LogLevel } from '@poststelle/telemetry';
import { type AuthSettings } from '../auth/token-verifier';

/** Environment variables every service understands (see docs/operations.md). Services extend this class. */
export class ServiceEnv {
  @IsIn(['development', 'production', 'test']) NODE_ENV: 'development' | 'production' | 'test' = 'development';
  @IsOptional() @IsInt() @Min(0) @Max(65535) HTTP_PORT?: number;
  /** Address the HTTP server binds to: `0.0.0.0` (all IPv4), `127.0.0.1` (this host only), `::` (all, IPv6 too). */
  @IsIP(undefined, { message: 'HTTP_HOST must be an IPv4 or IPv6 address such as 0.0.0.0 or 127.0.0.1' })
  HTTP_HOST: string = '0.0.0.0';
  @IsString()
  @Matches(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, { message: 'KAFKA_BROKERS must be host:port[,host:port...]' })
  KAFKA_BROKERS: string = '127.0.0.1:9092';
  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string = 'postgres://postgres@127.0.0.1:5432/postgres';
  @IsInt() @Min(1) @Max(64) DB_POOL_SIZE: number = 10;
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{0,39}$/, { message: 'KAFKA_NAMESPACE: lower-case letters, digits and -, at most 40' })
  KAFKA_NAMESPACE?: string;
  @IsOptional() @IsIn(['scram-sha-256', 'scram-sha-512']) KAFKA_SASL_MECHANISM?: 'scram-sha-256' | 'scram-sha-512';
  @ValidateIf((e: ServiceEnv) => e.KAFKA_SASL_MECHANISM !== undefined) @IsString() KAFKA_SASL_USERNAME?: string;
  @ValidateIf((e: ServiceEnv) => e.KAFKA_SASL_MECHANISM !== undefined) @IsString() KAFKA_SASL_PASSWORD?: string;
  // From the raw string: implicit conversion would turn 'false' into true.
  @Transform(({ obj }: { obj: Record<string, unknown> }) => ['true', '1', true].includes(obj['KAFKA_SSL'] as string))
  @IsBoolean()
  KAFKA_SSL: boolean = false;
  @IsInt() @Min(1) @Max(1000) KAFKA_PARTITIONS: number = 3;
  @IsInt() @Min(1) @Max(5) KAFKA_REPLICATION_FACTOR: number = 1;
  /** Cluster mode: 2 with replication factor 3, so a write survives one broker's loss (acks=all). */
  @IsOptional() @IsInt() @Min(1) @Max(5) KAFKA_MIN_INSYNC_REPLICAS?: number;
  /** `max.message.bytes` of topics this service creates. */
  @IsInt() @Min(64 * 1024) @Max(64 * 1024 * 1024) KAFKA_TOPIC_MAX_MESSAGE_BYTES: number = 1024 * 1024;
  /** Bound of one envelope; at most half of KAFKA_TOPIC_MAX_MESSAGE_BYTES. Larger content goes to the blob store. */
  @IsInt() @Min(16 * 1024) @Max(32 * 1024 * 1024) MESSAGE_MAX_BYTES: number = 512 * 1024;
  /** Longest wait between retries while PostgreSQL or Kafka is unreachable (retries never give up). */
  @IsInt() @Min(100) @Max(300000) CONSUMER_OUTAGE_MAX_BACKOFF_MS: number = 10000;
  /** How often a dead letter may be replayed and fail again before replays are refused. */
  @IsInt() @Min(1) @Max(100) DEAD_LETTER_MAX_REPLAYS: number = 3;
  @IsInt() @Min(1) @Max(20) CONSUMER_MAX_ATTEMPTS: number = 5;
  @IsInt() @Min(1) @Max(60000) CONSUMER_BACKOFF_MS: number = 200;
  @IsInt() @Min(1) @Max(64) CONSUMER_CONCURRENCY: number = 3;
  @IsIn(['debug', 'info', 'warn', 'error']) LOG_LEVEL: LogLevel = 'info';
  @IsString() BLOB_DIR: string = '.data/blobs';
  @IsInt() @Min(1024) @Max(1024 * 1024 * 1024) HTTP_BODY_LIMIT_BYTES: number = 10 * 1024 * 1024;
  /** The OpenID provider whose access tokens are accepted (`iss`); required: there is no unauthenticated mode. */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { message: 'OIDC_ISSUER must be the issuer URL' })
  OIDC_ISSUER!: string;
  /** `aud` the access tokens must carry. */
  @IsString() @Matches(/\S/) OIDC_AUDIENCE: string = 'urn:poststelle:api';
  /** JWKS URL, if the issuer has no discovery document (default: its `jwks_uri`). */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { message: 'OIDC_JWKS_URI must be a URL' })
  OIDC_JWKS_URI?: string;
  /** Claim with the roles; a dotted path reaches into nested claims (Keycloak: `realm_access.roles`). */
  @IsString() @Matches(/^[\w:-]+(\.[\w:-]+)*$/) OIDC_ROLES_CLAIM: string = 'roles';
  /** Claim with the tenants (ARS prefixes). */
  @IsString() @Matches(/^[\w:-]+(\.[\w:-]+)*$/) OIDC_TENANTS_CLAIM: string = 'tenants';
  @IsInt() @Min(0) @Max(300) OIDC_CLOCK_TOLERANCE_SECONDS: number = 30;
}

export interface PlatformSettings {
  service: string;
  schema: string;
  env: 'development' | 'production' | 'test';
  http: { host: string; port: number; bodyLimitBytes: number };
  kafka: KafkaSettings;
  database: DatabaseSettings;
  consumer: { maxAttempts: number; initialBackoffMs: number; maxOutageBackoffMs: number; concurrency: number };
  messageMaxBytes: number;
  maxReplays: number;
  logLevel: LogLevel;
  blobDir: string;
  auth: AuthSettings;
}

/** Maps the validated flat environment into the typed settings the platform uses. */
export function platformSettings(env: ServiceEnv, service: string, schema: string, defaultPort: number): PlatformSettings {
  return {
    service,
    schema,
    env: env.NODE_ENV,
    http: { host: env.HTTP_HOST, port: env.HTTP_PORT ?? defaultPort, bodyLimitBytes: env.HTTP_BODY_LIMIT_BYTES },
    kafka: {
      brokers: env.KAFKA_BROKERS.split(','),
      clientId: `poststelle-${service}`,
      partitions: env.KAFKA_PARTITIONS,
      replicationFactor: env.KAFKA_REPLICATION_FACTOR,
      ...(env.KAFKA_MIN_INSYNC_REPLICAS !== undefined ? { minInsyncReplicas: env.KAFKA_MIN_INSYNC_REPLICAS } : {}),
      topicMaxMessageBytes: env.KAFKA_TOPIC_MAX_MESSAGE_BYTES,
      ...(env.KAFKA_NAMESPACE ? { namespace: env.KAFKA_NAMESPACE } : {}),
      ...(env.KAFKA_SASL_MECHANISM && env.KAFKA_SASL_USERNAME && env.KAFKA_SASL_PASSWORD
        ? { sasl: { mechanism: env.KAFKA_SASL_MECHANISM, username: env.KAFKA_SASL_USERNAME, password: env.KAFKA_SASL_PASSWORD } }
        : {}),
      ssl: env.KAFKA_SSL,
    },
    database: { url: env.DATABASE_URL, schema, poolSize: env.DB_POOL_SIZE },
    consumer: {
      maxAttempts: env.CONSUMER_MAX_ATTEMPTS,
      initialBackoffMs: env.CONSUMER_BACKOFF_MS,
      maxOutageBackoffMs: env.CONSUMER_OUTAGE_MAX_BACKOFF_MS,
      concurrency: env.CONSUMER_CONCURRENCY,
    },
    messageMaxBytes: env.MESSAGE_MAX_BYTES,
    maxReplays: env.DEAD_LETTER_MAX_REPLAYS,
    logLevel: env.LOG_LEVEL,
    blobDir: env.BLOB_DIR,
    auth: {
      issuer: env.OIDC_ISSUER,
      audience: env.OIDC_AUDIENCE,
      ...(env.OIDC_JWKS_URI ? { jwksUri: env.OIDC_JWKS_URI } : {}),
      claims: { roles: env.OIDC_ROLES_CLAIM, tenants: env.OIDC_TENANTS_CLAIM },
      clockToleranceSeconds: env.OIDC_CLOCK_TOLERANCE_SECONDS,
    },
  };
}
