import { ServiceEnv, loadConfig, platformSettings, type PlatformSettings } from '@poststelle/platform';

export class ArchiveEnv extends ServiceEnv {}

export function loadArchiveSettings(env: NodeJS.ProcessEnv = process.env): PlatformSettings {
  return platformSettings(loadConfig(ArchiveEnv, env), 'archive', 'archive', 8085);
}
