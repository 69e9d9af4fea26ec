import { ErechnungSchema1732300000400 } from './migrations/1732300000400-erechnung-schema.migration';
import { ErechnungInboundInvoices1732300000410 } from './migrations/1732300000410-erechnung-inbound-invoices.migration';
import { ErechnungOutboundInvoices1732300000420 } from './migrations/1732300000420-erechnung-outbound-invoices.migration';
import { ErechnungInvoicesByEmail1732300000437 } from './migrations/1732300000437-erechnung-invoices-by-email.migration';
import { ErechnungAuditAndReplyRecipients1733610000400 } from './migrations/1733610000400-erechnung-audit-and-reply-recipients.migration';

/** erechnung's own migrations, in order (the platform runs the messaging tables' first); the integration specs use them too. */
export const ERECHNUNG_MIGRATIONS = [
  ErechnungSchema1732300000400,
  ErechnungInboundInvoices1732300000410,
  ErechnungOutboundInvoices1732300000420,
  ErechnungInvoicesByEmail1732300000437,
  ErechnungAuditAndReplyRecipients1733610000400,
];
