import { Injectable, type OnModuleInit } from '@nestjs/common';
import {
  ArchiveFileOpenedV1,
  CaseRoutedV1,
  EventTypes,
  FeeEventV1,
  InvoiceFeeRecordedV1,
  ManualRoutingRequiredV1,
  OutboundInvoiceIssuedV1,
  PaymentStatusChangedV1,
  Topics,
  validateContract,
  type EventEnvelope,
} from '@poststelle/contracts';
import { MessagingErrorCode, MessagingRuntime, NonRetriableError, type MessageContext } from '@poststelle/messaging';
import { CasesRepository } from './cases.repository';

/** The contract of each event type the timeline records (the topics' producers publish exactly these). */
const CONTRACTS: Record<string, new () => object> = {
  [EventTypes.caseRouted]: CaseRoutedV1,
  [EventTypes.manualRoutingRequired]: ManualRoutingRequiredV1,
  [EventTypes.feeDue]: FeeEventV1,
  [EventTypes.feeNotRequired]: FeeEventV1,
  [EventTypes.paymentStatusChanged]: PaymentStatusChangedV1,
  [EventTypes.archiveFileOpened]: ArchiveFileOpenedV1,
  [EventTypes.invoiceFeeRecorded]: InvoiceFeeRecordedV1,
  [EventTypes.invoiceIssued]: OutboundInvoiceIssuedV1,
};

/**
 * Validates an event through the contracts lib before anything of it is read. An invalid payload throws
 * ContractValidationError and an unknown type NonRetriableError: the reliable consumer dead-letters either with
 * the reason (field errors), never retrying.
 */
export function validateTimelineEvent(envelope: EventEnvelope): void {
  const contract = CONTRACTS[envelope.type];
  if (!contract) throw new NonRetriableError(MessagingErrorCode.UnknownEventType, `no timeline contract for event type '${envelope.type}'`);
  validateContract(contract, envelope.payload);
}

const PAYMENT_WORDS: Record<string, string> = {
  INITIAL: 'payment open',
  BOOKED: 'payment booked',
  FAILED: 'payment failed',
  CANCELED: 'payment cancelled',
  RETURNED: 'payment returned by the bank',
  REFUNDED: 'payment refunded',
  PARTIALLY_PAID: 'payment partially paid',
  OVERPAID: 'payment overpaid',
};

/** A payment transition in words ("payment booked: 25.00 of 25.00 EUR paid, Kassenzeichen …"); the free-text reason stays out. */
function paymentSummary(p: Record<string, unknown>): Record<string, unknown> {
  const s = (k: string) => (typeof p[k] === 'string' ? p[k] : '');
  const code = s('returnReasonCode') ? ` (reason ${s('returnReasonCode')})` : '';
  return {
    message: `${PAYMENT_WORDS[s('status')] ?? s('status')}${code}: ${s('amountPaid')} of ${s('amountDue')} ${s('currency')} paid, Kassenzeichen ${s('kassenzeichen')}`,
    ...Object.fromEntries(
      ['paymentId', 'previousStatus', 'status', 'amountDue', 'amountPaid', 'currency', 'kassenzeichen', 'returnReasonCode']
        .filter((k) => k in p)
        .map((k) => [k, p[k]]),
    ),
    // Who reported it (provider, statement, clerk:<subject>, refund:<subject>), without the subject.
    reportedBy: s('source').split(/[:/]/)[0],
  };
}

/** Summaries without personal data: ids, procedure, amounts, references. */
export function summarise(envelope: EventEnvelope): { caseId: string; summary: Record<string, unknown> } {
  const p = (envelope.payload ?? {}) as Record<string, unknown>;
  const kase = p['case'] as { caseId?: string } | undefined;
  const caseId = kase?.caseId ?? (typeof p['caseId'] === 'string' ? p['caseId'] : envelope.correlationId);
  const pick = (obj: unknown, keys: string[]) =>
    Object.fromEntries(keys.filter((k) => obj && typeof obj === 'object' && k in obj).map((k) => [k, (obj as Record<string, unknown>)[k]]));
  switch (envelope.type) {
    case 'case.routed':
      return {
        caseId,
        summary: pick(p['decision'], ['procedureId', 'procedureTopic', 'ruleId', 'ruleVersion', 'matchedPrefix', 'explanation']),
      };
    case 'case.manual-routing-required':
      return { caseId, summary: pick(p, ['reasonCode', 'reason']) };
    case 'fee.due':
    case 'fee.not-required':
      return { caseId, summary: pick(p, ['kind', 'feeId', 'amount', 'currency', 'kassenzeichen', 'policy']) };
    case 'payment.status-changed':
      return { caseId, summary: paymentSummary(p) };
    case 'archive.file-opened':
      return {
        caseId,
        summary: {
          ...pick(p, ['fileId', 'fileReference', 'procedureId']),
          documents: Array.isArray(p['documents']) ? p['documents'].length : 0,
        },
      };
    case 'invoice.fee-recorded':
      return { caseId, summary: pick(p, ['invoiceCandidateId', 'amount', 'billing']) };
    case 'invoice.issued':
      return { caseId, summary: pick(p, ['invoiceId', 'invoiceNumber', 'payableAmount', 'kassenzeichen', 'dueDate']) };
    default:
      return { caseId, summary: {} };
  }
}

/** Builds each case's timeline ("where it went") from the events the other services publish. */
@Injectable()
export class CaseTimelineConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingRuntime,
    private readonly cases: CasesRepository,
  ) {}

  onModuleInit(): void {
    const handle = (ctx: MessageContext) => this.record(ctx);
    this.messaging.addConsumer({
      groupId: 'intake.case-timeline',
      handlers: {
        [Topics.casesRouted]: handle,
        [Topics.routingManual]: handle,
        [Topics.paymentsEvents]: handle,
        [Topics.archiveRecords]: handle,
        [Topics.invoicesEvents]: handle,
      },
    });
  }

  async record({ manager, envelope, topic }: MessageContext): Promise<void> {
    // Inbound e-invoices share the invoices topic but belong to no case.
    if (envelope.type === 'invoice.received') return;
    validateTimelineEvent(envelope);
    const { caseId, summary } = summarise(envelope);
    await this.cases.recordTimelineEntry(manager, {
      messageId: envelope.id,
      caseId,
      eventType: envelope.type,
      topic,
      summary,
      occurredAt: envelope.occurredAt,
    });
  }
}
