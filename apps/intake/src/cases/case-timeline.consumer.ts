import { Injectable, type OnModuleInit } from '@nestjs/common';
import {
  ArchiveFileOpenedV1,
  CaseRoutedV1,
  EventTypes,
  FeeEventV1,
  InvoiceFeeRecordedV1,
  ManualRoutingRequiredV1,
  OutboundInvoiceIssuedV1,
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
