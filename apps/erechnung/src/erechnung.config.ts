import { IsEmail, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { ServiceEnv, loadConfig, platformSettings, type PlatformSettings } from '@poststelle/platform';

export class ErechnungEnv extends ServiceEnv {
  /** SMTP relay for the answers to invoices received by email; without it every send fails visibly (`failed` after REPLY_MAX_ATTEMPTS). */
  @IsOptional() @IsString() SMTP_RELAY_HOST?: string;
  @IsInt() @Min(1) @Max(65535) SMTP_RELAY_PORT: number = 25;
  @IsOptional() @IsString() SMTP_RELAY_USER?: string;
  @IsOptional() @IsString() SMTP_RELAY_PASSWORD?: string;
  /** Sender of the answers (acceptance or rejection with the report). */
  @IsEmail({ require_tld: false }) INVOICE_REPLY_FROM: string = 'erechnung@localhost';
  @IsInt() @Min(1) @Max(100) REPLY_MAX_ATTEMPTS: number = 10;
  @IsInt() @Min(10) @Max(600000) REPLY_RETRY_BASE_MS: number = 1000;
}

export interface ErechnungSettings extends PlatformSettings {
  replies: {
    smtp?: { host: string; port: number; user?: string; password?: string };
    from: string;
    maxAttempts: number;
    retryBaseMs: number;
  };
}

export const ERECHNUNG_SETTINGS = Symbol('ERECHNUNG_SETTINGS');

export function loadErechnungSettings(env: NodeJS.ProcessEnv = process.env): ErechnungSettings {
  const e = loadConfig(ErechnungEnv, env);
  return {
    ...platformSettings(e, 'erechnung', 'erechnung', 8084),
    replies: {
      ...(e.SMTP_RELAY_HOST
        ? {
            smtp: {
              host: e.SMTP_RELAY_HOST,
              port: e.SMTP_RELAY_PORT,
              ...(e.SMTP_RELAY_USER ? { user: e.SMTP_RELAY_USER } : {}),
              ...(e.SMTP_RELAY_PASSWORD ? { password: e.SMTP_RELAY_PASSWORD } : {}),
            },
          }
        : {}),
      from: e.INVOICE_REPLY_FROM,
      maxAttempts: e.REPLY_MAX_ATTEMPTS,
      retryBaseMs: e.REPLY_RETRY_BASE_MS,
    },
  };
}
