import { IsEmail, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { ServiceEnv, loadConfig, platformSettings, type PlatformSettings } from '@poststelle/platform';

export class RoutingEnv extends ServiceEnv {
  /** SMTP relay for status emails to applicants; without it every send fails visibly and ends as `failed` after NOTIFY_MAX_ATTEMPTS. */
  @IsOptional() @IsString() SMTP_RELAY_HOST?: string;
  @IsInt() @Min(1) @Max(65535) SMTP_RELAY_PORT: number = 25;
  @IsOptional() @IsString() SMTP_RELAY_USER?: string;
  @IsOptional() @IsString() SMTP_RELAY_PASSWORD?: string;
  @IsEmail({ require_tld: false }) SMTP_FROM: string = 'poststelle@localhost';
  @IsInt() @Min(1) @Max(100) NOTIFY_MAX_ATTEMPTS: number = 10;
  @IsInt() @Min(10) @Max(600000) NOTIFY_RETRY_BASE_MS: number = 1000;
}

export interface RoutingSettings extends PlatformSettings {
  notifications: {
    smtp?: { host: string; port: number; user?: string; password?: string };
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
      from: e.SMTP_FROM,
      maxAttempts: e.NOTIFY_MAX_ATTEMPTS,
      retryBaseMs: e.NOTIFY_RETRY_BASE_MS,
    },
  };
}
