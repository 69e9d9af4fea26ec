import { ServiceEnv, loadConfig, platformSettings, type PlatformSettings } from '@poststelle/platform';

export class RoutingEnv extends ServiceEnv {}

export function loadRoutingSettings(env: NodeJS.ProcessEnv = process.env): PlatformSettings {
  return platformSettings(loadConfig(RoutingEnv, env), 'routing', 'routing', 8082);
}
