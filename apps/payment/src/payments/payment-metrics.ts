import { Counter } from 'prom-client';
import { registry } from '@poststelle/telemetry';

/** Payment transitions by the state reached (BOOKED, FAILED, RETURNED, ...); Grafana "payment states". */
export const paymentTransitions = new Counter({
  name: 'poststelle_payment_transitions_total',
  help: 'Payment state transitions, by the state reached',
  labelNames: ['status'],
  registers: [registry],
});
