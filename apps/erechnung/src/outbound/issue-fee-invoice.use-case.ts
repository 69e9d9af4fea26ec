import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { EventTypes, Topics, type FeeEventV1, type OutboundInvoiceIssuedV1 } from '@poststelle/contracts';
import { addToOutbox } from '@poststelle/messaging';
import { Logger } from '@poststelle/telemetry';
import {
  computeTotals,
  generateCii,
  generateUbl,
  type FeeInvoice,
  type ValidationReport,
  type XRechnungValidator,
} from '@poststelle/xrechnung';
import { XRECHNUNG_VALIDATOR } from '../invoices/validator.provider';
import { billedByInvoice, draftFeeInvoice, invoiceNumber, type InvoiceIssuer } from './fee-invoice-model';
import { outboundInvoiceMetrics } from './outbound-metrics';

export type IssueOutcome =
  | { outcome: 'not-billed-by-invoice' }
  | { outcome: 'issued' | 'already-issued'; invoiceId: string; invoiceNumber: string; sequence: number }
  | { outcome: 'not-issuable'; failureId: string; missing: string[] }
  | { outcome: 'invalid'; failureId: string; errors: number };

const sha512 = (text: string): string => createHash('sha512').update(text, 'utf8').digest('hex');

export const ISSUER_COLUMNS = `tenant_ars AS "tenantArs", name, seller_identifier AS "sellerIdentifier", street, postal_code AS "postalCode", city,
  country, electronic_address AS "electronicAddress", contact_name AS "contactName", contact_phone AS "contactPhone",
  contact_email AS "contactEmail", iban, bic, account_name AS "accountName", vat_id AS "vatId", payment_days AS "paymentDays",
  number_prefix AS "numberPrefix"`;

/**
 * Issues the XRechnung invoice for a fee billed by invoice, in UBL and CII. Both are validated by the engine before
 * release; the invoice number is taken from the tenant's counter row (locked FOR UPDATE) and advanced in the same
 * transaction that stores the released invoice, so numbers have no gaps and a rejected invoice consumes none.
 * Idempotent by fee id.
 */
@Injectable()
export class IssueFeeInvoiceUseCase {
  private readonly log = new Logger('IssueFeeInvoice');

  constructor(@Inject(XRECHNUNG_VALIDATOR) private readonly validator: XRechnungValidator) {}

  async execute(manager: EntityManager, fee: FeeEventV1, causationId?: string, now = new Date()): Promise<IssueOutcome> {
    if (!billedByInvoice(fee)) return { outcome: 'not-billed-by-invoice' };
    const [issuer] = await manager.query<InvoiceIssuer[]>(`SELECT ${ISSUER_COLUMNS} FROM erechnung.invoice_issuers WHERE tenant_ars = $1`, [
      fee.tenantArs,
    ]);
    const draft = draftFeeInvoice(fee, issuer, now);
    if (!draft.ok) {
      const failureId = await this.recordFailure(manager, fee, 'not-issuable', { missing: draft.missing });
      outboundInvoiceMetrics.notIssuable.inc();
      this.log.warn('fee billed by invoice cannot be invoiced', { caseId: fee.caseId, feeId: fee.feeId, missing: draft.missing });
      return { outcome: 'not-issuable', failureId, missing: draft.missing };
    }

    // Serialises issuance per tenant until commit; re-checking the fee under the lock makes concurrent
    // redeliveries of the same fee see the first one's invoice.
    await manager.query('INSERT INTO erechnung.invoice_counters (tenant_ars) VALUES ($1) ON CONFLICT (tenant_ars) DO NOTHING', [
      fee.tenantArs,
    ]);
    const [counter] = await manager.query<{ last: string }[]>(
      'SELECT last_number::text AS last FROM erechnung.invoice_counters WHERE tenant_ars = $1 FOR UPDATE',
      [fee.tenantArs],
    );
    const [existing] = await manager.query<{ invoiceId: string; invoiceNumber: string; sequence: string }[]>(
      `SELECT invoice_id AS "invoiceId", invoice_number AS "invoiceNumber", sequence::text AS sequence FROM erechnung.outbound_invoices WHERE fee_id = $1`,
      [fee.feeId],
    );
    if (existing)
      return {
        outcome: 'already-issued',
        invoiceId: existing.invoiceId,
        invoiceNumber: existing.invoiceNumber,
        sequence: Number(existing.sequence),
      };

    const sequence = Number(counter?.last ?? '0') + 1;
    const invoice: FeeInvoice = { ...draft.invoice, number: invoiceNumber(issuer?.numberPrefix ?? '', sequence) };
    const ubl = generateUbl(invoice);
    const cii = generateCii(invoice);
    const [ublReport, ciiReport] = await Promise.all([this.validator.validate(ubl), this.validator.validate(cii)]);
    const reports = { ubl: ublReport, cii: ciiReport };
    if (!ublReport.accepted || !ciiReport.accepted) {
      const errors = ublReport.errorCount + ciiReport.errorCount;
      const failureId = await this.recordFailure(manager, fee, 'invalid', { ubl, cii, reports });
      outboundInvoiceMetrics.invalid.inc();
      this.log.error('generated invoice rejected by the XRechnung engine: not released', {
        caseId: fee.caseId,
        feeId: fee.feeId,
        failureId,
        errors,
        rules: ruleIds(reports),
      });
      return { outcome: 'invalid', failureId, errors };
    }

    const invoiceId = randomUUID();
    const totals = computeTotals(invoice);
    const documents = [
      { format: 'ubl' as const, sha512: sha512(ubl) },
      { format: 'cii' as const, sha512: sha512(cii) },
    ];
    await manager.query(
      `INSERT INTO erechnung.outbound_invoices (invoice_id, fee_id, case_id, tenant_ars, sequence, invoice_number, issue_date, due_date,
         payable_amount, kassenzeichen, vat_category, model, ubl, cii, ubl_sha512, cii_sha512, reports)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
      [
        invoiceId,
        fee.feeId,
        fee.caseId,
        fee.tenantArs,
        sequence,
        invoice.number,
        invoice.issueDate,
        invoice.dueDate,
        totals.payable,
        invoice.payment.remittanceInformation,
        invoice.vat.category,
        JSON.stringify(invoice),
        ubl,
        cii,
        documents[0]?.sha512,
        documents[1]?.sha512,
        JSON.stringify(reports),
      ],
    );
    await manager.query('UPDATE erechnung.invoice_counters SET last_number = $2 WHERE tenant_ars = $1', [fee.tenantArs, sequence]);
    await addToOutbox<OutboundInvoiceIssuedV1>(manager, {
      topic: Topics.invoicesEvents,
      key: fee.caseId,
      type: EventTypes.invoiceIssued,
      payload: {
        invoiceId,
        caseId: fee.caseId,
        feeId: fee.feeId,
        tenantArs: fee.tenantArs,
        invoiceNumber: invoice.number,
        sequence,
        issueDate: invoice.issueDate,
        dueDate: invoice.dueDate,
        payableAmount: totals.payable,
        currency: 'EUR',
        kassenzeichen: invoice.payment.remittanceInformation,
        vatCategory: invoice.vat.category,
        documents,
        issuedAt: now.toISOString(),
      },
      correlationId: fee.caseId,
      ...(causationId ? { causationId } : {}),
      tenant: fee.tenantArs,
    });
    outboundInvoiceMetrics.issued.inc();
    this.log.info('outbound invoice issued', { caseId: fee.caseId, feeId: fee.feeId, invoiceId, sequence });
    return { outcome: 'issued', invoiceId, invoiceNumber: invoice.number, sequence };
  }

  private async recordFailure(
    manager: EntityManager,
    fee: FeeEventV1,
    reason: 'not-issuable' | 'invalid',
    detail: { missing?: string[]; ubl?: string; cii?: string; reports?: { ubl: ValidationReport; cii: ValidationReport } },
  ): Promise<string> {
    const failureId = randomUUID();
    await manager.query(
      `INSERT INTO erechnung.outbound_invoice_failures (failure_id, fee_id, case_id, tenant_ars, reason, missing, ubl, cii, reports)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        failureId,
        fee.feeId,
        fee.caseId,
        fee.tenantArs,
        reason,
        detail.missing ?? [],
        detail.ubl ?? null,
        detail.cii ?? null,
        detail.reports ? JSON.stringify(detail.reports) : null,
      ],
    );
    return failureId;
  }
}

/** The failing rule ids (no document content, so no personal data in the log). */
const ruleIds = (reports: { ubl: ValidationReport; cii: ValidationReport }): string[] => [
  ...new Set([...reports.ubl.findings, ...reports.cii.findings].filter((f) => f.severity === 'error').map((f) => f.ruleId)),
];
