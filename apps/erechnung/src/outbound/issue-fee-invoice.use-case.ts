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
import { billedByInvoice, draftFeeInvoice, invoiceNumber } from './fee-invoice-model';
import { OutboundInvoicesRepository } from './outbound-invoices.repository';
import { outboundInvoiceMetrics } from './outbound-metrics';
import { type BlobStore } from '@poststelle/persistence';
import { BLOB_STORE } from '@poststelle/platform';

export type IssueOutcome =
  | { outcome: 'not-billed-by-invoice' }
  | { outcome: 'issued' | 'already-issued'; invoiceId: string; invoiceNumber: string; sequence: number }
  | { outcome: 'not-issuable'; failureId: string; missing: string[] }
  | { outcome: 'invalid'; failureId: string; errors: number };

const sha512 = (text: string): string => createHash('sha512').update(text, 'utf8').digest('hex');

/**
 * Issues the XRechnung invoice for a fee billed by invoice, in UBL and CII. Both are validated by the engine before
 * release; the invoice number is taken from the tenant's counter row (locked FOR UPDATE) and advanced in the same
 * transaction that stores the released invoice, so numbers have no gaps and a rejected invoice consumes none.
 * Idempotent by fee id.
 */
@Injectable()
export class IssueFeeInvoiceUseCase {
  private readonly log = new Logger('IssueFeeInvoice');

  constructor(
    @Inject(XRECHNUNG_VALIDATOR) private readonly validator: XRechnungValidator,
    private readonly invoices: OutboundInvoicesRepository,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  async execute(manager: EntityManager, fee: FeeEventV1, causationId?: string, now = new Date()): Promise<IssueOutcome> {
    if (!billedByInvoice(fee)) return { outcome: 'not-billed-by-invoice' };
    const issuer = await this.invoices.issuer(manager, fee.tenantArs);
    const draft = draftFeeInvoice(fee, issuer, now);
    if (!draft.ok) {
      const failureId = await this.recordFailure(manager, fee, 'not-issuable', { missing: draft.missing });
      outboundInvoiceMetrics.notIssuable.inc();
      this.log.warn('fee billed by invoice cannot be invoiced', { caseId: fee.caseId, feeId: fee.feeId, missing: draft.missing });
      return { outcome: 'not-issuable', failureId, missing: draft.missing };
    }

    // Serialises issuance per tenant until commit; re-checking the fee under the lock makes concurrent
    // redeliveries of the same fee see the first one's invoice.
    const last = await this.invoices.lockCounter(manager, fee.tenantArs);
    const existing = await this.invoices.issuedFor(manager, fee.feeId);
    if (existing) return { outcome: 'already-issued', ...existing };

    const sequence = last + 1;
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
    const ublSha512 = sha512(ubl);
    const ciiSha512 = sha512(cii);
    const documents = [
      { format: 'ubl' as const, sha512: ublSha512 },
      { format: 'cii' as const, sha512: ciiSha512 },
    ];
    // The documents go to the shared blob store under the hashes `invoice.issued` names, so the e-file (archive) can
    // file them; content-addressed, so a redelivery stores nothing twice.
    await this.blobs.put(Buffer.from(ubl, 'utf8'));
    await this.blobs.put(Buffer.from(cii, 'utf8'));
    await this.invoices.issue(manager, {
      invoiceId,
      fee,
      sequence,
      invoice,
      payableAmount: totals.payable,
      ubl,
      cii,
      ublSha512,
      ciiSha512,
      reports,
    });
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
    await this.invoices.recordFailure(manager, { failureId, fee, reason, ...detail });
    return failureId;
  }
}

/** The failing rule ids (no document content, so no personal data in the log). */
const ruleIds = (reports: { ubl: ValidationReport; cii: ValidationReport }): string[] => [
  ...new Set([...reports.ubl.findings, ...reports.cii.findings].filter((f) => f.severity === 'error').map((f) => f.ruleId)),
];
