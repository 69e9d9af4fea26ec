import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventTypes, Topics, type InboundInvoiceReceivedV1 } from '@poststelle/contracts';
import { MessagingRuntime, addToOutbox } from '@poststelle/messaging';
import { Logger } from '@poststelle/telemetry';
import { parseLeitwegId, type Finding, type ValidationReport, type XRechnungValidator } from '@poststelle/xrechnung';
import { XRECHNUNG_VALIDATOR } from './validator.provider';

export interface ReceivedInvoice {
  invoiceId: string;
  accepted: boolean;
  report: ValidationReport;
  duplicateOf: string | null;
  destination: string | null;
}

/**
 * An inbound e-invoice: validate (XSD, EN 16931, XRechnung), check the Leitweg-ID (BT-10: format and ISO 7064
 * MOD 97-10 check digits) and resolve it to the authority's accounting destination. The document is kept either way;
 * an accepted one is announced on `invoices.events.v1`, a duplicate (same seller, number and date) is flagged.
 */
@Injectable()
export class ReceiveInvoiceUseCase {
  private readonly log = new Logger('ReceiveInvoice');

  constructor(
    private readonly dataSource: DataSource,
    private readonly messaging: MessagingRuntime,
    @Inject(XRECHNUNG_VALIDATOR) private readonly validator: XRechnungValidator,
  ) {}

  async execute(document: Buffer): Promise<ReceivedInvoice> {
    const report = await this.validator.validate(document);
    const extra: Finding[] = [];
    const bt10 = report.summary.buyerReference;
    let destination: { tenant_ars: string; destination: string } | undefined;
    if (report.syntax && bt10 !== undefined) {
      const leitweg = parseLeitwegId(bt10);
      if (!leitweg.valid) {
        extra.push({ layer: 'scenario', ruleId: 'POSTSTELLE-LEITWEG-ID', severity: 'error', location: 'BT-10', message: leitweg.message });
      } else {
        [destination] = await this.dataSource.query<{ tenant_ars: string; destination: string }[]>(
          'SELECT tenant_ars, destination FROM erechnung.accounting_destinations WHERE leitweg_id = $1',
          [leitweg.id.value],
        );
        if (!destination) {
          extra.push({
            layer: 'scenario',
            ruleId: 'POSTSTELLE-LEITWEG-UNKNOWN',
            severity: 'error',
            location: 'BT-10',
            message: `Leitweg-ID "${leitweg.id.value}" is valid but no authority here receives invoices under it.`,
          });
        }
      }
    }
    const findings = [...extra, ...report.findings];
    const errorCount = findings.filter((f) => f.severity === 'error').length;
    const full: ValidationReport = { ...report, findings, errorCount, accepted: errorCount === 0 };
    const seller = full.summary.sellerVatId ?? full.summary.sellerName ?? null;
    const invoiceId = randomUUID();
    const result = await this.dataSource.transaction(async (manager) => {
      let duplicateOf: string | null = null;
      if (full.accepted && seller && full.summary.invoiceNumber && full.summary.issueDate) {
        const [earlier] = await manager.query<{ invoice_id: string }[]>(
          `SELECT invoice_id FROM erechnung.inbound_invoices WHERE accepted AND seller = $1 AND invoice_number = $2 AND issue_date = $3
            ORDER BY received_at LIMIT 1`,
          [seller, full.summary.invoiceNumber, full.summary.issueDate],
        );
        duplicateOf = earlier?.invoice_id ?? null;
      }
      await manager.query(
        `INSERT INTO erechnung.inbound_invoices (invoice_id, document, document_sha256, accepted, report, syntax, leitweg_id, tenant_ars, destination,
           seller, invoice_number, issue_date, duplicate_of) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          invoiceId,
          document,
          full.documentSha256,
          full.accepted,
          JSON.stringify(full),
          full.syntax ?? null,
          bt10 ?? null,
          destination?.tenant_ars ?? null,
          destination?.destination ?? null,
          seller,
          full.summary.invoiceNumber ?? null,
          full.summary.issueDate ?? null,
          duplicateOf,
        ],
      );
      if (full.accepted && destination) {
        await addToOutbox<InboundInvoiceReceivedV1>(manager, {
          topic: Topics.invoicesEvents,
          key: invoiceId,
          type: EventTypes.invoiceReceived,
          payload: {
            invoiceId,
            leitwegId: bt10 as string,
            tenantArs: destination.tenant_ars,
            destination: destination.destination,
            syntax: full.syntax as InboundInvoiceReceivedV1['syntax'],
            ...(full.summary.invoiceNumber ? { invoiceNumber: full.summary.invoiceNumber } : {}),
            ...(full.summary.issueDate ? { issueDate: full.summary.issueDate } : {}),
            ...(full.summary.payableAmount ? { payableAmount: full.summary.payableAmount } : {}),
            ...(full.summary.currency ? { currency: full.summary.currency } : {}),
            documentSha256: full.documentSha256,
            ...(duplicateOf ? { duplicateOf } : {}),
            receivedAt: new Date().toISOString(),
          },
          correlationId: invoiceId,
          tenant: destination.tenant_ars,
        });
      }
      return { invoiceId, accepted: full.accepted, report: full, duplicateOf, destination: destination?.destination ?? null };
    });
    if (result.accepted) this.messaging.relay.nudge();
    this.log.info('inbound invoice', {
      invoiceId,
      accepted: result.accepted,
      errors: full.errorCount,
      duplicate: result.duplicateOf !== null,
    });
    return result;
  }
}
