import { IsEmail, IsInt, Max, Min } from 'class-validator';
import {
  SmtpRelayEnv,
  loadConfig,
  smtpRelaySettings,
  platformSettings,
  type PlatformSettings,
  type SmtpRelaySettings,
} from '@poststelle/platform';

export class RoutingEnv extends SmtpRelayEnv {
  /** Sender of the status emails to applicants (relay: SMTP_RELAY_*; without one every send ends as `failed` after NOTIFY_MAX_ATTEMPTS). */
  @IsEmail({ require_tld: false }) SMTP_FROM: string = 'poststelle@localhost';
  @IsInt() @Min(1) @Max(100) NOTIFY_MAX_ATTEMPTS: number = 10;
  @IsInt() @Min(10) @Max(600000) NOTIFY_RETRY_BASE_MS: number = 1000;
}

export interface RoutingSettings extends PlatformSettings {
  notifications: {
    smtp?: SmtpRelaySettings;
    from: string;
    maxAttempts: number;
    retryBaseMs: number;
  };
}

export const ROUTING_SETTINGS = Symbol('ROUTING_SETTINGS');

export function loadRoutingSettings(env: NodeJS.ProcessEnv = process.env): RoutingSettings {
  const e = loadConfig(RoutingEnv, env);
  return {
    ...platformSettings(e, 'routing', 'routing', 8082),
    notifications: {
      ...smtpRelaySettings(e),
      from: e.SMTP_FROM,
      maxAttempts: e.NOTIFY_MAX_ATTEMPTS,
      retryBaseMs: e.NOTIFY_RETRY_BASE_MS,
    },
  };
}
