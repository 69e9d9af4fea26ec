import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Topics, type EventEnvelope } from '@poststelle/contracts';
import { MessagingRuntime, type MessageContext } from '@poststelle/messaging';

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
  constructor(private readonly messaging: MessagingRuntime) {}

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
    const { caseId, summary } = summarise(envelope);
    await manager.query(
      `INSERT INTO intake.case_timeline (message_id, case_id, event_type, topic, summary, occurred_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (message_id) DO NOTHING`,
      [envelope.id, caseId, envelope.type, topic, JSON.stringify(summary), envelope.occurredAt],
    );
  }
}
