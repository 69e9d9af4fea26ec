import { Counter } from 'prom-client';
import { registry } from '@poststelle/telemetry';

/** Outbound fee invoices; `outcome="invalid"` is a bug alert (a generated invoice the engine rejected, never sent). */
export const outboundInvoiceMetrics = {
  issued: new Counter({
    name: 'poststelle_erechnung_outbound_invoices_issued_total',
    help: 'Outbound XRechnung fee invoices issued (validated, numbered, published)',
    registers: [registry],
  }),
  invalid: new Counter({
    name: 'poststelle_erechnung_outbound_invoice_invalid_total',
    help: 'Generated outbound invoices the XRechnung engine rejected: a bug, the invoice was not released',
    registers: [registry],
  }),
  notIssuable: new Counter({
    name: 'poststelle_erechnung_outbound_invoice_not_issuable_total',
    help: 'Fees billed by invoice that could not be invoiced for missing issuer or buyer data',
    registers: [registry],
  }),
};
