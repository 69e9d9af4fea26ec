import { IsIn, IsInt, IsString, Max, Min } from 'class-validator';
import { ServiceEnv, loadConfig, platformSettings, type PlatformSettings } from '@poststelle/platform';

export class IntakeEnv extends ServiceEnv {
  @IsInt() @Min(1) @Max(1024 * 1024 * 1024) ATTACHMENT_MAX_BYTES: number = 5 * 1024 * 1024;
  @IsInt() @Min(1) @Max(1024 * 1024 * 1024) SUBMISSION_MAX_BYTES: number = 8 * 1024 * 1024;
  /** Cases of the same applicant for the same service within this many hours are linked as possible duplicates. */
  @IsInt() @Min(1) @Max(24 * 365) DUPLICATE_WINDOW_HOURS: number = 72;
  /** SMTP receiver port; 0 disables the receiver. */
  @IsInt() @Min(0) @Max(65535) SMTP_PORT: number = 2525;
  @IsString() SMTP_HOST: string = '0.0.0.0';
  @IsInt() @Min(1024) @Max(512 * 1024 * 1024) SMTP_MAX_MESSAGE_BYTES: number = 20 * 1024 * 1024;
  /** `system`: DNS lookups for DKIM/SPF/DMARC through the OS resolver; `offline`: every lookup fails (→ temperror). */
  @IsIn(['system', 'offline']) MAIL_AUTH_DNS: 'system' | 'offline' = 'system';
  @IsInt() @Min(100) @Max(60000) MAIL_AUTH_DNS_TIMEOUT_MS: number = 3000;
  /** Zip/gzip attachments declaring more than this uncompressed size, or a ratio above the next, are rejected. */
  @IsInt() @Min(1024) @Max(1024 * 1024 * 1024 * 4) ARCHIVE_MAX_UNCOMPRESSED_BYTES: number = 100 * 1024 * 1024;
  @IsInt() @Min(2) @Max(100000) ARCHIVE_MAX_RATIO: number = 100;
  /** FIT-Connect: one uploaded attachment, streamed to the blob store. */
  @IsInt() @Min(1024) @Max(1024 * 1024 * 1024) FIT_CONNECT_ATTACHMENT_MAX_BYTES: number = 20 * 1024 * 1024;
  /** The published FIT-Connect metadata schema 1.0.0 (JSON Schema 2020-12), relative to the working directory. */
  @IsString() FIT_CONNECT_METADATA_SCHEMA: string = '../shared/reference/fit-connect/metadata.schema.v1.0.0.json';
  /** S/MIME trust anchors: a directory of PEM/DER CA certificates; empty = trust nobody (valid but untrusted). */
  @IsString() SMIME_TRUST_STORE_DIR: string = '';
  /** PGP public keys (armoured or binary files) whose signatures are accepted; empty = every key is unknown. */
  @IsString() PGP_KEYRING_DIR: string = '';
}

export interface IntakeSettings extends PlatformSettings {
  limits: { attachmentMaxBytes: number; submissionMaxBytes: number };
  duplicateWindowHours: number;
  email: {
    smtpPort: number;
    smtpHost: string;
    maxMessageBytes: number;
    dns: 'system' | 'offline';
    dnsTimeoutMs: number;
    smimeTrustStoreDir: string;
    pgpKeyringDir: string;
  };
  archives: { maxUncompressedBytes: number; maxRatio: number };
  fitConnect: { attachmentMaxBytes: number; metadataSchemaPath: string };
}

export const INTAKE_SETTINGS = Symbol('INTAKE_SETTINGS');

export function loadIntakeSettings(env: NodeJS.ProcessEnv = process.env): IntakeSettings {
  const e = loadConfig(IntakeEnv, env);
  return {
    ...platformSettings(e, 'intake', 'intake', 8081),
    limits: { attachmentMaxBytes: e.ATTACHMENT_MAX_BYTES, submissionMaxBytes: e.SUBMISSION_MAX_BYTES },
    duplicateWindowHours: e.DUPLICATE_WINDOW_HOURS,
    email: {
      smtpPort: e.SMTP_PORT,
      smtpHost: e.SMTP_HOST,
      maxMessageBytes: e.SMTP_MAX_MESSAGE_BYTES,
      dns: e.MAIL_AUTH_DNS,
      dnsTimeoutMs: e.MAIL_AUTH_DNS_TIMEOUT_MS,
      smimeTrustStoreDir: e.SMIME_TRUST_STORE_DIR,
      pgpKeyringDir: e.PGP_KEYRING_DIR,
    },
    archives: { maxUncompressedBytes: e.ARCHIVE_MAX_UNCOMPRESSED_BYTES, maxRatio: e.ARCHIVE_MAX_RATIO },
    fitConnect: { attachmentMaxBytes: e.FIT_CONNECT_ATTACHMENT_MAX_BYTES, metadataSchemaPath: e.FIT_CONNECT_METADATA_SCHEMA },
  };
}
