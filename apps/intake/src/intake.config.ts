import { IsInt, Max, Min } from 'class-validator';
import { ServiceEnv, loadConfig, platformSettings, type PlatformSettings } from '@poststelle/platform';

export class IntakeEnv extends ServiceEnv {
  @IsInt() @Min(1) @Max(1024 * 1024 * 1024) ATTACHMENT_MAX_BYTES: number = 5 * 1024 * 1024;
  @IsInt() @Min(1) @Max(1024 * 1024 * 1024) SUBMISSION_MAX_BYTES: number = 8 * 1024 * 1024;
}

export interface IntakeSettings extends PlatformSettings {
  limits: { attachmentMaxBytes: number; submissionMaxBytes: number };
}

export const INTAKE_SETTINGS = Symbol('INTAKE_SETTINGS');

export function loadIntakeSettings(env: NodeJS.ProcessEnv = process.env): IntakeSettings {
  const e = loadConfig(IntakeEnv, env);
  return {
    ...platformSettings(e, 'intake', 'intake', 8081),
    limits: { attachmentMaxBytes: e.ATTACHMENT_MAX_BYTES, submissionMaxBytes: e.SUBMISSION_MAX_BYTES },
  };
}
