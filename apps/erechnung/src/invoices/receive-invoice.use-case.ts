import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  EventTypes,
  Topics,
  type InboundInvoiceReceivedV1,
  type InvoiceDocumentRefV1,
  type InvoiceEmailOriginV1,
} from '@poststelle/contracts';
import { MessagingRuntime, addToOutbox } from '@poststelle/messaging';
import { Logger } from '@poststelle/telemetry';
import { parseLeitwegId, type Finding, type ValidationReport, type XRechnungValidator } from '@poststelle/xrechnung';
import { composeInvoiceReply } from './invoice-reply';
import { InboundInvoicesRepository, type Destination } from './inbound-invoices.repository';
import { replyRecipient, senderEvidenceOf } from './reply-recipient';
import { XRECHNUNG_VALIDATOR } from './validator.provider';
import { inboundInvoiceVerdicts } from './inbound-metrics';

export interface ReceivedInvoice {
  invoiceId: string;
  accepted: boolean;
  report: ValidationReport;
  duplicateOf: string | null;
  destination: string | null;
}

/**
 * Where an invoice came from. `http`: `POST /v1/invoices`, answered in the response. `email`: an attachment intake
 * forwarded (`invoice.submitted`); the tenant is the invoice mailbox's, and the sender is answered by email when it is
 * authenticated (`replyRecipient`).
 */
export type InvoiceSource =
  | { channel: 'http' }
  | { channel: 'email'; submissionId: string; tenantArs: string; document: InvoiceDocumentRefV1; email: InvoiceEmailOriginV1 };

interface Assessed {
  full: ValidationReport;
  destination: Destination | undefined;
  bt10: string | undefined;
}

/**
 * An inbound e-invoice, whatever the channel: validate (XSD, EN 16931, XRechnung), check the Leitweg-ID (BT-10:
 * format and ISO 7064 MOD 97-10 check digits) and resolve it to the authority's accounting destination. The document
 * is kept either way; an accepted one is announced on `invoices.events.v1`, a duplicate (same seller, number and
 * date) is flagged. An emailed invoice also gets its answer queued (`erechnung.invoice_replies`) in the same transaction.
 */
@Injectable()
export class ReceiveInvoiceUseCase {
  private readonly log = new Logger('ReceiveInvoice');

  constructor(
    private readonly dataSource: DataSource,
    private readonly invoices: InboundInvoicesRepository,
    private readonly messaging: MessagingRuntime,
    @Inject(XRECHNUNG_VALIDATOR) private readonly validator: XRechnungValidator,
  ) {}

  /** HTTP: validated before, recorded in a transaction of its own (no connection is held while the rules run). */
  async execute(document: Buffer, source: InvoiceSource = { channel: 'http' }): Promise<ReceivedInvoice> {
    const assessed = await this.assess(this.dataSource.manager, document, source);
    const result = await this.dataSource.transaction((manager) => this.record(manager, document, source, assessed));
    if (result.accepted) this.messaging.relay.nudge();
    return result;
  }

  /**
   * In the caller's transaction (the consumer's, with its inbox row). An email submission already recorded is not
   * validated again: its earlier result is returned.
   */
  async executeIn(manager: EntityManager, document: Buffer, source: InvoiceSource): Promise<ReceivedInvoice> {
    if (source.channel === 'email') {
      const earlier = await this.invoices.bySubmission(manager, source.submissionId);
      if (earlier) return earlier;
    }
    return this.record(manager, document, source, await this.assess(manager, document, source));
  }

  /** The one validation point: the validator's report plus the Leitweg-ID checks and its destination. */
  private async assess(db: EntityManager, document: Buffer, source: InvoiceSource): Promise<Assessed> {
    const report = await this.validator.validate(document);
    const extra: Finding[] = [];
    const bt10 = report.summary.buyerReference;
    let destination: Destination | undefined;
    if (report.syntax && bt10 !== undefined) {
      const leitweg = parseLeitwegId(bt10);
      if (!leitweg.valid) {
        extra.push({ layer: 'scenario', ruleId: 'POSTSTELLE-LEITWEG-ID', severity: 'error', location: 'BT-10', message: leitweg.message });
      } else {
        destination = await this.invoices.destination(db, leitweg.id.value);
        if (!destination) {
          extra.push({
            layer: 'scenario',
            ruleId: 'POSTSTELLE-LEITWEG-UNKNOWN',
            severity: 'error',
            location: 'BT-10',
            message: `Leitweg-ID "${leitweg.id.value}" is valid but no authority here receives invoices under it.`,
          });
        } else if (source.channel === 'email' && destination.tenantArs !== source.tenantArs) {
          // The mailbox belongs to one tenant: it does not take invoices for another authority's Leitweg-ID.
          extra.push({
            layer: 'scenario',
            ruleId: 'POSTSTELLE-LEITWEG-OTHER-TENANT',
            severity: 'error',
            location: 'BT-10',
            message: `Leitweg-ID "${leitweg.id.value}" belongs to another authority than the mailbox ${source.email.mailbox}; send the invoice to that authority.`,
          });
          destination = undefined;
        }
      }
    }
    const findings = [...extra, ...report.findings];
    const errorCount = findings.filter((f) => f.severity === 'error').length;
    return { full: { ...report, findings, errorCount, accepted: errorCount === 0 }, destination, bt10 };
  }

  private async record(manager: EntityManager, document: Buffer, source: InvoiceSource, assessed: Assessed): Promise<ReceivedInvoice> {
    const { full, destination, bt10 } = assessed;
    const seller = full.summary.sellerVatId ?? full.summary.sellerName ?? null;
    const invoiceId = randomUUID();
    let duplicateOf: string | null = null;
    if (full.accepted && seller && full.summary.invoiceNumber && full.summary.issueDate) {
      duplicateOf = await this.invoices.earlierAccepted(manager, seller, full.summary.invoiceNumber, full.summary.issueDate);
    }
    const email = source.channel === 'email' ? source : undefined;
    await this.invoices.insert(manager, {
      invoiceId,
      document,
      report: full,
      leitwegId: bt10 ?? null,
      destination,
      seller,
      duplicateOf,
      channel: source.channel,
      submissionId: email?.submissionId ?? null,
      // Where it came from, without the sender's address (that lives only with the pending answer).
      source: email
        ? {
            tenantArs: email.tenantArs,
            inboundId: email.email.inboundId,
            rawMessageSha512: email.email.rawMessageSha512,
            mailbox: email.email.mailbox,
            document: email.document,
          }
        : null,
    });
    inboundInvoiceVerdicts.inc({ verdict: full.accepted ? 'accepted' : 'rejected', channel: source.channel });
    if (full.accepted && destination) {
      await addToOutbox<InboundInvoiceReceivedV1>(manager, {
        topic: Topics.invoicesEvents,
        key: invoiceId,
        type: EventTypes.invoiceReceived,
        payload: {
          invoiceId,
          leitwegId: bt10 as string,
          tenantArs: destination.tenantArs,
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
        tenant: destination.tenantArs,
      });
    }
    if (email) {
      const reply = composeInvoiceReply({
        invoiceId,
        report: full,
        fileName: email.document.fileName,
        ...(destination ? { authorityName: destination.name } : {}),
        duplicateOf,
      });
      // Only to a DKIM-aligned From or the supplier on file, never to an unauthenticated Reply-To (ADR 0016).
      await this.invoices.addReply(manager, {
        invoiceId,
        to: replyRecipient(senderEvidenceOf(email.email)),
        inReplyTo: email.email.messageId ?? null,
        subject: reply.subject,
        body: reply.body,
        attachReport: reply.attachReport,
      });
    }
    this.log.info('inbound invoice', {
      invoiceId,
      channel: source.channel,
      ...(email ? { submissionId: email.submissionId } : {}),
      accepted: full.accepted,
      errors: full.errorCount,
      duplicate: duplicateOf !== null,
    });
    return { invoiceId, accepted: full.accepted, report: full, duplicateOf, destination: destination?.destination ?? null };
  }
}
