import { Counter } from 'prom-client';
import { registry } from '@poststelle/telemetry';

/** Inbound e-invoices by verdict (`accepted`, `rejected`) and channel (`http`, `email`); Grafana "XRechnung verdicts". */
export const inboundInvoiceVerdicts = new Counter({
  name: 'poststelle_erechnung_inbound_invoices_total',
  help: 'Inbound e-invoices validated (XSD, EN 16931, XRechnung, Leitweg-ID), by verdict and channel',
  labelNames: ['verdict', 'channel'],
  registers: [registry],
});
