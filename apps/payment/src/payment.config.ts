import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { ServiceEnv, loadConfig, platformSettings, type PlatformSettings } from '@poststelle/platform';

export class PaymentEnv extends ServiceEnv {
  /** Drop folder for bank statements: `<dir>/<12-digit tenant ARS>/*.xml`; unset: no drop folder. */
  @IsOptional() @IsString() STATEMENT_DROP_DIR?: string;
  @IsInt() @Min(100) @Max(3600000) STATEMENT_DROP_POLL_MS: number = 5000;
  /** Statement items reconciled per transaction. */
  @IsInt() @Min(1) @Max(5000) STATEMENT_CHUNK_SIZE: number = 200;
}

export interface PaymentSettings extends PlatformSettings {
  statements: { dropDir: string | undefined; dropPollMs: number; chunkSize: number };
}

export const PAYMENT_SETTINGS = Symbol('PAYMENT_SETTINGS');

export function loadPaymentSettings(env: NodeJS.ProcessEnv = process.env): PaymentSettings {
  const e = loadConfig(PaymentEnv, env);
  return {
    ...platformSettings(e, 'payment', 'payment', 8083),
    statements: { dropDir: e.STATEMENT_DROP_DIR, dropPollMs: e.STATEMENT_DROP_POLL_MS, chunkSize: e.STATEMENT_CHUNK_SIZE },
  };
}
