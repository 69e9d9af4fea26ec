import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { ServiceEnv } from '../config/service-env';
import { type SmtpRelaySettings } from './mailer';

/** The environment of a service that sends mail: its own settings plus the SMTP relay. */
export class SmtpRelayEnv extends ServiceEnv {
  /** SMTP relay; without it every send fails visibly and the mail ends as `failed` after its attempts. */
  @IsOptional() @IsString() SMTP_RELAY_HOST?: string;
  @IsInt() @Min(1) @Max(65535) SMTP_RELAY_PORT: number = 25;
  @IsOptional() @IsString() SMTP_RELAY_USER?: string;
  @IsOptional() @IsString() SMTP_RELAY_PASSWORD?: string;
}

export function smtpRelaySettings(e: SmtpRelayEnv): { smtp?: SmtpRelaySettings } {
  if (!e.SMTP_RELAY_HOST) return {};
  return {
    smtp: {
      host: e.SMTP_RELAY_HOST,
      port: e.SMTP_RELAY_PORT,
      ...(e.SMTP_RELAY_USER ? { user: e.SMTP_RELAY_USER } : {}),
      ...(e.SMTP_RELAY_PASSWORD ? { password: e.SMTP_RELAY_PASSWORD } : {}),
    },
  };
}
