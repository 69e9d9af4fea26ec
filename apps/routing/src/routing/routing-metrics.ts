import { Counter } from 'prom-client';
import { registry } from '@poststelle/telemetry';

/**
 * Routing decisions by outcome: `routed` (published to its procedure), `manual` (a clerk decides), `held-evidence`
 * (written form or level of assurance missing), `held-payment` (fee to be paid first). Grafana "routing outcomes".
 */
export const routingDecisions = new Counter({
  name: 'poststelle_routing_decisions_total',
  help: 'Routing decisions by outcome (routed, manual, held-evidence, held-payment)',
  labelNames: ['outcome'],
  registers: [registry],
});
