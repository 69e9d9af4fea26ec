import { ServiceEnv, loadConfig, platformSettings, type PlatformSettings } from '@poststelle/platform';

export class ErechnungEnv extends ServiceEnv {}

export function loadErechnungSettings(env: NodeJS.ProcessEnv = process.env): PlatformSettings {
  return platformSettings(loadConfig(ErechnungEnv, env), 'erechnung', 'erechnung', 8084);
}
