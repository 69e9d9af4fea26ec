import { IsEmail, IsInt, Max, Min } from 'class-validator';
import {
  SmtpRelayEnv,
  loadConfig,
  smtpRelaySettings,
  platformSettings,
  type PlatformSettings,
  type OutgoingMailSettings,
} from '@poststelle/platform';

export class ErechnungEnv extends SmtpRelayEnv {
  /** Sender of the answers (acceptance or rejection with the report). */
  @IsEmail({ require_tld: false }) INVOICE_REPLY_FROM: string = 'erechnung@localhost';
  @IsInt() @Min(1) @Max(100) REPLY_MAX_ATTEMPTS: number = 10;
  @IsInt() @Min(10) @Max(600000) REPLY_RETRY_BASE_MS: number = 1000;
}

export interface ErechnungSettings extends PlatformSettings {
  replies: OutgoingMailSettings;
}

export const ERECHNUNG_SETTINGS = Symbol('ERECHNUNG_SETTINGS');

export function loadErechnungSettings(env: NodeJS.ProcessEnv = process.env): ErechnungSettings {
  const e = loadConfig(ErechnungEnv, env);
  return {
    ...platformSettings(e, 'erechnung', 'erechnung', 8084),
    replies: {
      ...smtpRelaySettings(e),
      from: e.INVOICE_REPLY_FROM,
      maxAttempts: e.REPLY_MAX_ATTEMPTS,
      retryBaseMs: e.REPLY_RETRY_BASE_MS,
    },
  };
}
