import { ServiceEnv, loadConfig, platformSettings, type PlatformSettings } from '@poststelle/platform';

export class PaymentEnv extends ServiceEnv {}

export function loadPaymentSettings(env: NodeJS.ProcessEnv = process.env): PlatformSettings {
  return platformSettings(loadConfig(PaymentEnv, env), 'payment', 'payment', 8083);
}
