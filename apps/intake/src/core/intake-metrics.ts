import { Counter } from 'prom-client';
import { registry } from '@poststelle/telemetry';

/** Cases accepted, by channel as operators name it (`fit-connect` apart from the portal); Grafana "intake per channel". */
export const casesReceived = new Counter({
  name: 'poststelle_intake_cases_received_total',
  help: 'Cases accepted by intake, by channel (portal, fit-connect, email, scan)',
  labelNames: ['channel'],
  registers: [registry],
});
