import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ServiceEnv, loadConfig, platformSettings, type PlatformSettings } from '@poststelle/platform';
import { CREDENTIALS_KEY } from './provider/credentials-cipher';

export class PaymentEnv extends ServiceEnv {
  /** Drop folder for bank statements: `<dir>/<12-digit tenant ARS>/*.xml`; unset: no drop folder. */
  @IsOptional() @IsString() STATEMENT_DROP_DIR?: string;
  @IsInt() @Min(100) @Max(3600000) STATEMENT_DROP_POLL_MS: number = 5000;
  /** Statement items reconciled per transaction. */
  @IsInt() @Min(1) @Max(5000) STATEMENT_CHUNK_SIZE: number = 200;
  /** Online payment provider (XBezahldienste): per-request timeout, status poll interval and backoff. */
  @IsInt() @Min(100) @Max(120000) PROVIDER_TIMEOUT_MS: number = 5000;
  @IsInt() @Min(50) @Max(60000) PROVIDER_POLL_MS: number = 1000;
  @IsInt() @Min(50) @Max(600000) PROVIDER_BACKOFF_BASE_MS: number = 2000;
  @IsInt() @Min(100) @Max(86400000) PROVIDER_BACKOFF_MAX_MS: number = 300000;
  /**
   * Key of the provider credentials at rest (AES-256-GCM): 32 bytes as 64 hex digits or base64; or the file named by
   * `PAYMENT_CREDENTIALS_KEY_FILE`. Required: payment does not start without it.
   */
  @Matches(CREDENTIALS_KEY, {
    message: 'PAYMENT_CREDENTIALS_KEY (or the file PAYMENT_CREDENTIALS_KEY_FILE) must be 32 bytes as 64 hex digits or base64',
  })
  PAYMENT_CREDENTIALS_KEY!: string;
  /** Days a fee notice gives to pay when the tenant's payee names none. */
  @IsInt() @Min(1) @Max(365) FEE_NOTICE_PAYMENT_DAYS: number = 14;
}

export interface PaymentSettings extends PlatformSettings {
  statements: { dropDir: string | undefined; dropPollMs: number; chunkSize: number };
  provider: { timeoutMs: number; pollMs: number; backoffBaseMs: number; backoffMaxMs: number; credentialsKey: string };
  notice: { paymentDays: number };
}

export const PAYMENT_SETTINGS = Symbol('PAYMENT_SETTINGS');

export function loadPaymentSettings(env: NodeJS.ProcessEnv = process.env): PaymentSettings {
  const e = loadConfig(PaymentEnv, env);
  return {
    ...platformSettings(e, 'payment', 'payment', 8083),
    statements: { dropDir: e.STATEMENT_DROP_DIR, dropPollMs: e.STATEMENT_DROP_POLL_MS, chunkSize: e.STATEMENT_CHUNK_SIZE },
    provider: {
      timeoutMs: e.PROVIDER_TIMEOUT_MS,
      pollMs: e.PROVIDER_POLL_MS,
      backoffBaseMs: e.PROVIDER_BACKOFF_BASE_MS,
      backoffMaxMs: e.PROVIDER_BACKOFF_MAX_MS,
      credentialsKey: e.PAYMENT_CREDENTIALS_KEY,
    },
    notice: { paymentDays: e.FEE_NOTICE_PAYMENT_DAYS },
  };
}
