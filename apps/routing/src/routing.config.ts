import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsInt, Max, Min } from 'class-validator';
import {
  SmtpRelayEnv,
  loadConfig,
  smtpRelaySettings,
  platformSettings,
  type PlatformSettings,
  type OutgoingMailSettings,
} from '@poststelle/platform';

/** `true`/`1` and `false`/`0`; unset gives the default; anything else stays as it is and fails `@IsBoolean`. */
function booleanOr(raw: unknown, unset: boolean): unknown {
  if (raw === undefined) return unset;
  if (raw === true || raw === 'true' || raw === '1') return true;
  if (raw === false || raw === 'false' || raw === '0') return false;
  return raw;
}

export class RoutingEnv extends SmtpRelayEnv {
  /** Sender of the status emails to applicants (relay: SMTP_RELAY_*; without one every send ends as `failed` after NOTIFY_MAX_ATTEMPTS). */
  @IsEmail({ require_tld: false }) SMTP_FROM: string = 'poststelle@localhost';
  @IsInt() @Min(1) @Max(100) NOTIFY_MAX_ATTEMPTS: number = 10;
  @IsInt() @Min(10) @Max(600000) NOTIFY_RETRY_BASE_MS: number = 1000;
  /**
   * Deprecated path (ADR 0013): also read status reports from the shared `cases.status.v1`, logging a warning and
   * counting each one. On during the migration to `procedure.<procedureId>.status.v1`; turn off once no back office
   * writes the shared topic any more. Read from the raw string: implicit conversion would turn 'false' into true.
   */
  @Transform(({ obj }: { obj: Record<string, unknown> }) => booleanOr(obj['LEGACY_SHARED_STATUS_TOPIC'], true))
  @IsBoolean()
  LEGACY_SHARED_STATUS_TOPIC: boolean = true;
  /** How often routing looks for procedure status topics created elsewhere (its own registrations take effect at once). */
  @IsInt() @Min(100) @Max(3600000) STATUS_TOPIC_RESCAN_MS: number = 30000;
}

export interface RoutingSettings extends PlatformSettings {
  notifications: OutgoingMailSettings;
  status: {
    /** Whether the deprecated shared `cases.status.v1` is still read. */
    legacySharedTopic: boolean;
    /** Rescan interval for new `procedure.<procedureId>.status.v1` topics. */
    topicRescanMs: number;
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
    status: { legacySharedTopic: e.LEGACY_SHARED_STATUS_TOPIC, topicRescanMs: e.STATUS_TOPIC_RESCAN_MS },
  };
}
