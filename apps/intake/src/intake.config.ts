import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsNumber, IsString, Max, Min, ValidateBy, ValidateIf } from 'class-validator';
import { FORM_DATA_INLINE_MAX_BYTES_DEFAULT } from '@poststelle/contracts';
import { ServiceEnv, loadConfig, platformSettings, type PlatformSettings } from '@poststelle/platform';
import { ASSERTIONS, type Assertion } from './core/access/channel-trust';

export class IntakeEnv extends ServiceEnv {
  @IsInt() @Min(1) @Max(1024 * 1024 * 1024) ATTACHMENT_MAX_BYTES: number = 5 * 1024 * 1024;
  @IsInt() @Min(1) @Max(1024 * 1024 * 1024) SUBMISSION_MAX_BYTES: number = 8 * 1024 * 1024;
  /**
   * JSON form data up to this many bytes (serialised) travels inline in a case; larger goes to the blob store. At most
   * a quarter of MESSAGE_MAX_BYTES, so a case message always stays well below the envelope bound.
   */
  @IsInt()
  @Min(0)
  @Max(256 * 1024)
  @ValidateBy({
    name: 'formDataInlineBelowMessageBound',
    validator: {
      validate: (value: unknown, args) => typeof value === 'number' && value * 4 <= (args?.object as IntakeEnv).MESSAGE_MAX_BYTES,
      defaultMessage: () => 'FORM_DATA_INLINE_MAX_BYTES must be at most a quarter of MESSAGE_MAX_BYTES',
    },
  })
  FORM_DATA_INLINE_MAX_BYTES: number = FORM_DATA_INLINE_MAX_BYTES_DEFAULT;
  /** Cases of the same applicant for the same service within this many hours are linked as possible duplicates. */
  @IsInt() @Min(1) @Max(24 * 365) DUPLICATE_WINDOW_HOURS: number = 72;
  /** SMTP receiver port; 0 disables the receiver. */
  @IsInt() @Min(0) @Max(65535) SMTP_PORT: number = 2525;
  @IsString() SMTP_HOST: string = '0.0.0.0';
  @IsInt() @Min(1024) @Max(512 * 1024 * 1024) SMTP_MAX_MESSAGE_BYTES: number = 20 * 1024 * 1024;
  /** PEM certificate (chain) and key for STARTTLS; both or neither. Without them STARTTLS is not offered. */
  @IsString() SMTP_TLS_CERT_FILE: string = '';
  @ValidateIf((e: IntakeEnv) => e.SMTP_TLS_CERT_FILE !== '')
  @IsNotEmpty({ message: 'SMTP_TLS_KEY_FILE is required when SMTP_TLS_CERT_FILE is set' })
  @IsString()
  SMTP_TLS_KEY_FILE: string = '';
  /** Refuse mail before STARTTLS (530) once a certificate is configured. */
  @Transform(({ obj }: { obj: Record<string, unknown> }) => ['true', '1', true].includes(obj['SMTP_REQUIRE_TLS'] as string))
  @IsBoolean()
  SMTP_REQUIRE_TLS: boolean = false;
  /** Simultaneous SMTP connections; one more is answered 421 and closed. */
  @IsInt() @Min(1) @Max(10000) SMTP_MAX_CONNECTIONS: number = 100;
  /** Messages one connection may deliver per minute; more are deferred with 451 (the sender retries later). */
  @IsInt() @Min(1) @Max(100000) SMTP_MAX_MESSAGES_PER_CONNECTION_PER_MINUTE: number = 60;
  /** `system`: DNS lookups for DKIM/SPF/DMARC through the OS resolver; `offline`: every lookup fails (→ temperror). */
  @IsIn(['system', 'offline']) MAIL_AUTH_DNS: 'system' | 'offline' = 'system';
  @IsInt() @Min(100) @Max(60000) MAIL_AUTH_DNS_TIMEOUT_MS: number = 3000;
  /** Zip/gzip attachments declaring more than this uncompressed size, or a ratio above the next, are rejected. */
  @IsInt() @Min(1024) @Max(1024 * 1024 * 1024 * 4) ARCHIVE_MAX_UNCOMPRESSED_BYTES: number = 100 * 1024 * 1024;
  @IsInt() @Min(2) @Max(100000) ARCHIVE_MAX_RATIO: number = 100;
  /** FIT-Connect: one uploaded attachment, streamed to the blob store. */
  @IsInt() @Min(1024) @Max(1024 * 1024 * 1024) FIT_CONNECT_ATTACHMENT_MAX_BYTES: number = 20 * 1024 * 1024;
  /** S/MIME trust anchors: a directory of PEM/DER CA certificates; empty = trust nobody (valid but untrusted). */
  @IsString() SMIME_TRUST_STORE_DIR: string = '';
  /** PGP public keys (armoured or binary files) whose signatures are accepted; empty = every key is unknown. */
  @IsString() PGP_KEYRING_DIR: string = '';
  /** Paper scan: the index file (XML) of one batch. */
  @IsInt() @Min(1024) @Max(64 * 1024 * 1024) SCAN_INDEX_MAX_BYTES: number = 1024 * 1024;
  /** Paper scan: documents per batch, bytes per document (streamed), bytes per batch. */
  @IsInt() @Min(1) @Max(10000) SCAN_MAX_DOCUMENTS: number = 100;
  @IsInt() @Min(1024) @Max(1024 * 1024 * 1024) SCAN_DOCUMENT_MAX_BYTES: number = 50 * 1024 * 1024;
  @IsInt() @Min(1024) @Max(64 * 1024 * 1024 * 1024) SCAN_BATCH_MAX_BYTES: number = 500 * 1024 * 1024;
  /** OCR: tesseract languages (ocrmypdf `-l`), concurrent OCR runs, time limit per external tool run. */
  @IsString() SCAN_OCR_LANGUAGES: string = 'deu';
  @IsInt() @Min(1) @Max(64) SCAN_OCR_CONCURRENCY: number = 1;
  @IsInt() @Min(1000) @Max(3600 * 1000) SCAN_TOOL_TIMEOUT_MS: number = 180000;
  /** A PDF with at least this many characters of extractable text already has a text layer (no OCR). */
  @IsInt() @Min(1) @Max(100000) SCAN_TEXT_LAYER_MIN_CHARS: number = 20;
  /** Below this classification confidence (0..1) a document goes to the manual-classification queue. */
  @IsNumber() @Min(0) @Max(1) SCAN_CLASSIFICATION_THRESHOLD: number = 0.6;
  /** Watched drop folder (polled); empty disables it. Layout in docs/operations.md ("Paper scan"). */
  @IsString() SCAN_DROP_DIR: string = '';
  @IsInt() @Min(100) @Max(3600 * 1000) SCAN_DROP_POLL_MS: number = 2000;
  /**
   * Paper scan: batches whose index carries no valid seal of a trusted scan centre are refused
   * (SCAN_INDEX_SEAL_MISSING / _INVALID / _UNTRUSTED); the default. Off: the seal is checked and recorded only.
   */
  // From the raw string: implicit conversion would turn 'false' into true; anything else fails validation.
  @Transform(({ obj }: { obj: Record<string, unknown> }) => {
    const raw = obj['SCAN_REQUIRE_SEALED_INDEX'];
    if (raw === undefined || raw === true || raw === 'true' || raw === '1') return true;
    return raw === false || raw === 'false' || raw === '0' ? false : raw;
  })
  @IsBoolean()
  SCAN_REQUIRE_SEALED_INDEX: boolean = true;
  /**
   * Whether a handwritten signature reported in an index without a valid, trusted scan-centre seal meets the written
   * form (§ 3a VwVfG). Off (default): only a sealed index proves it; otherwise the case carries no written form and
   * routing holds it where a procedure requires one.
   */
  @Transform(({ obj }: { obj: Record<string, unknown> }) =>
    ['true', '1', true].includes(obj['SCAN_UNSEALED_SIGNATURES_SATISFY_WRITTEN_FORM'] as string),
  )
  @IsBoolean()
  SCAN_UNSEALED_SIGNATURES_SATISFY_WRITTEN_FORM: boolean = false;
  /** Scan-centre certificates (or their CAs), PEM/DER files; empty = trust nobody. Required when seals are required. */
  @ValidateIf((e: IntakeEnv) => e.SCAN_REQUIRE_SEALED_INDEX === true)
  @IsNotEmpty({ message: 'SCAN_CENTRE_TRUST_DIR is required when SCAN_REQUIRE_SEALED_INDEX is true' })
  @IsString()
  SCAN_CENTRE_TRUST_DIR: string = '';
  /** How often the batch processor looks for batches whose documents are all in. */
  @IsInt() @Min(50) @Max(60000) SCAN_PROCESS_POLL_MS: number = 1000;
  /**
   * What submissions from channel adapters over Kafka (`intake.submissions.v1`, no token) may assert about the
   * applicant: a comma-separated list of `eid`, `levelOfAssurance`; empty (default): nothing, so their level of
   * assurance is `none` and an eID claim does not meet the written form (ADR 0016). Whoever may write to the topic
   * (Kafka ACLs) is trusted this far.
   */
  @ValidateBy({
    name: 'assertionList',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' &&
        value
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean)
          .every((v) => (ASSERTIONS as readonly string[]).includes(v)),
      defaultMessage: () => `INTAKE_KAFKA_ADAPTER_MAY_ASSERT must be a comma-separated list of ${ASSERTIONS.join(', ')} (or empty)`,
    },
  })
  INTAKE_KAFKA_ADAPTER_MAY_ASSERT: string = '';
}

export interface IntakeSettings extends PlatformSettings {
  limits: { attachmentMaxBytes: number; submissionMaxBytes: number; formDataInlineMaxBytes: number };
  duplicateWindowHours: number;
  email: {
    smtpPort: number;
    smtpHost: string;
    maxMessageBytes: number;
    /** STARTTLS certificate and key files; `required`: no mail before STARTTLS. */
    tls: { certFile: string; keyFile: string; required: boolean } | undefined;
    maxConnections: number;
    maxMessagesPerConnectionPerMinute: number;
    dns: 'system' | 'offline';
    dnsTimeoutMs: number;
    smimeTrustStoreDir: string;
    pgpKeyringDir: string;
  };
  archives: { maxUncompressedBytes: number; maxRatio: number };
  fitConnect: { attachmentMaxBytes: number };
  scan: ScanSettings;
  /** Trust in submissions from channel adapters over Kafka (they carry no token). */
  kafkaAdapter: { mayAssert: Assertion[] };
}

export interface ScanSettings {
  indexMaxBytes: number;
  maxDocuments: number;
  documentMaxBytes: number;
  batchMaxBytes: number;
  ocrLanguages: string;
  ocrConcurrency: number;
  toolTimeoutMs: number;
  textLayerMinChars: number;
  classificationThreshold: number;
  /** Empty: no drop folder. */
  dropDir: string;
  dropPollMs: number;
  processPollMs: number;
  /** Refuse batches without a valid seal of a trusted scan centre. */
  requireSealedIndex: boolean;
  /** A handwritten signature in an unsealed (or untrusted) index meets the written form. */
  unsealedSignaturesSatisfyWrittenForm: boolean;
  /** Scan-centre trust store directory; empty: no scan centre is trusted. */
  centreTrustDir: string;
}

export const INTAKE_SETTINGS = Symbol('INTAKE_SETTINGS');

export function loadIntakeSettings(env: NodeJS.ProcessEnv = process.env): IntakeSettings {
  const e = loadConfig(IntakeEnv, env);
  return {
    ...platformSettings(e, 'intake', 'intake', 8081),
    limits: {
      attachmentMaxBytes: e.ATTACHMENT_MAX_BYTES,
      submissionMaxBytes: e.SUBMISSION_MAX_BYTES,
      formDataInlineMaxBytes: e.FORM_DATA_INLINE_MAX_BYTES,
    },
    duplicateWindowHours: e.DUPLICATE_WINDOW_HOURS,
    email: {
      smtpPort: e.SMTP_PORT,
      smtpHost: e.SMTP_HOST,
      maxMessageBytes: e.SMTP_MAX_MESSAGE_BYTES,
      tls: e.SMTP_TLS_CERT_FILE
        ? { certFile: e.SMTP_TLS_CERT_FILE, keyFile: e.SMTP_TLS_KEY_FILE, required: e.SMTP_REQUIRE_TLS }
        : undefined,
      maxConnections: e.SMTP_MAX_CONNECTIONS,
      maxMessagesPerConnectionPerMinute: e.SMTP_MAX_MESSAGES_PER_CONNECTION_PER_MINUTE,
      dns: e.MAIL_AUTH_DNS,
      dnsTimeoutMs: e.MAIL_AUTH_DNS_TIMEOUT_MS,
      smimeTrustStoreDir: e.SMIME_TRUST_STORE_DIR,
      pgpKeyringDir: e.PGP_KEYRING_DIR,
    },
    archives: { maxUncompressedBytes: e.ARCHIVE_MAX_UNCOMPRESSED_BYTES, maxRatio: e.ARCHIVE_MAX_RATIO },
    fitConnect: { attachmentMaxBytes: e.FIT_CONNECT_ATTACHMENT_MAX_BYTES },
    scan: {
      indexMaxBytes: e.SCAN_INDEX_MAX_BYTES,
      maxDocuments: e.SCAN_MAX_DOCUMENTS,
      documentMaxBytes: e.SCAN_DOCUMENT_MAX_BYTES,
      batchMaxBytes: e.SCAN_BATCH_MAX_BYTES,
      ocrLanguages: e.SCAN_OCR_LANGUAGES,
      ocrConcurrency: e.SCAN_OCR_CONCURRENCY,
      toolTimeoutMs: e.SCAN_TOOL_TIMEOUT_MS,
      textLayerMinChars: e.SCAN_TEXT_LAYER_MIN_CHARS,
      classificationThreshold: e.SCAN_CLASSIFICATION_THRESHOLD,
      dropDir: e.SCAN_DROP_DIR,
      dropPollMs: e.SCAN_DROP_POLL_MS,
      processPollMs: e.SCAN_PROCESS_POLL_MS,
      requireSealedIndex: e.SCAN_REQUIRE_SEALED_INDEX,
      unsealedSignaturesSatisfyWrittenForm: e.SCAN_UNSEALED_SIGNATURES_SATISFY_WRITTEN_FORM,
      centreTrustDir: e.SCAN_CENTRE_TRUST_DIR,
    },
    kafkaAdapter: {
      mayAssert: e.INTAKE_KAFKA_ADAPTER_MAY_ASSERT.split(',')
        .map((v) => v.trim())
        .filter((v): v is Assertion => (ASSERTIONS as readonly string[]).includes(v)),
    },
  };
}
