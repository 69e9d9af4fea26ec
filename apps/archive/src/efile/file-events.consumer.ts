import { Injectable, type OnModuleInit } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import {
  CaseEvidenceAddedV1,
  CaseRoutedV1,
  CaseStatusChangedV1,
  EventTypes,
  OutboundInvoiceIssuedV1,
  PROCEDURE_STATUS_TOPIC,
  Topics,
  procedureOfStatusTopic,
  validateContract,
} from '@poststelle/contracts';
import { MessagingErrorCode, MessagingRuntime, NonRetriableError, type MessageContext } from '@poststelle/messaging';
import { Logger } from '@poststelle/telemetry';
import { EFileRepository } from './efile.repository';
import { FileEventsUseCase } from './file-events.use-case';
import { OpenCaseFileUseCase } from './open-case-file.use-case';

/**
 * What fills the e-files: `cases.routed.v1` opens a file, `cases.evidence.v1` files follow-ups, and every
 * `procedure.<id>.status.v1` (one topic-pattern subscription) records status and notices, `invoice.issued` on
 * `invoices.events.v1` records fee invoices. Evidence or status for a
 * case whose file is not open yet is kept and applied when it opens.
 */
@Injectable()
export class FileEventsConsumer implements OnModuleInit {
  private readonly log = new Logger('FileEvents');

  constructor(
    private readonly messaging: MessagingRuntime,
    private readonly openFile: OpenCaseFileUseCase,
    private readonly events: FileEventsUseCase,
    private readonly files: EFileRepository,
  ) {}

  onModuleInit(): void {
    this.messaging.addConsumer({ groupId: 'archive', handlers: { [Topics.casesRouted]: (ctx) => this.routed(ctx) } });
    this.messaging.addConsumer({ groupId: 'archive.evidence', handlers: { [Topics.casesEvidence]: (ctx) => this.evidence(ctx) } });
    this.messaging.addConsumer({ groupId: 'archive.invoices', handlers: { [Topics.invoicesEvents]: (ctx) => this.invoice(ctx) } });
    this.messaging.addConsumer({
      groupId: 'archive.status',
      handlers: {},
      topicPattern: { pattern: PROCEDURE_STATUS_TOPIC, handler: (ctx) => this.status(ctx), rescanMs: 5000 },
    });
  }

  async routed({ manager, envelope }: MessageContext): Promise<void> {
    const routed = validateContract(CaseRoutedV1, envelope.payload);
    const fileId = await this.openFile.execute(manager, routed, envelope.id);
    if (!fileId) return;
    for (const pending of await this.files.takePending(manager, routed.case.caseId)) {
      await this.apply(manager, fileId, routed.decision.procedureId, pending.kind, pending.payload, pending.messageId, true);
    }
  }

  async evidence({ manager, envelope }: MessageContext): Promise<void> {
    const evidence = validateContract(CaseEvidenceAddedV1, envelope.payload);
    await this.applyOrKeep(manager, evidence.caseId, 'evidence', evidence, envelope.id);
  }

  /** `invoice.issued` only; the topic's other events (fees recorded, inbound invoices) are not the file's. */
  async invoice({ manager, envelope }: MessageContext): Promise<void> {
    if (envelope.type !== EventTypes.invoiceIssued) return;
    const invoice = validateContract(OutboundInvoiceIssuedV1, envelope.payload);
    await this.applyOrKeep(manager, invoice.caseId, 'invoice', invoice, envelope.id);
  }

  async status({ manager, envelope, topic }: MessageContext): Promise<void> {
    const reporter = procedureOfStatusTopic(topic);
    const status = validateContract(CaseStatusChangedV1, envelope.payload);
    if (!reporter || status.procedureId !== reporter) {
      throw new NonRetriableError(
        MessagingErrorCode.InvalidPayload,
        `status on ${topic} names procedure ${status.procedureId}: a procedure reports only for itself`,
      );
    }
    await this.applyOrKeep(manager, status.caseId, 'status', status, envelope.id);
  }

  private async applyOrKeep(manager: EntityManager, caseId: string, kind: string, payload: unknown, messageId: string): Promise<void> {
    const file = await this.files.fileOfCase(manager, caseId);
    if (!file) {
      await this.files.keepPending(manager, { messageId, caseId, kind, payload });
      return;
    }
    await this.apply(manager, file.fileId, file.procedureId, kind, payload, messageId);
  }

  private async apply(
    manager: EntityManager,
    fileId: string,
    procedureId: string,
    kind: string,
    payload: unknown,
    messageId: string,
    kept = false,
  ): Promise<void> {
    if (kind === 'evidence') {
      await this.events.addEvidence(manager, fileId, validateContract(CaseEvidenceAddedV1, payload), messageId);
      return;
    }
    if (kind === 'invoice') {
      await this.events.recordInvoice(manager, fileId, validateContract(OutboundInvoiceIssuedV1, payload));
      return;
    }
    const status = validateContract(CaseStatusChangedV1, payload);
    if (status.procedureId !== procedureId) {
      // A kept report cannot fail the message that opened the file: it is logged and dropped instead.
      if (kept) {
        this.log.warn('kept status report dropped: another procedure reported on the case', { caseId: status.caseId, messageId });
        return;
      }
      throw new NonRetriableError(
        MessagingErrorCode.InvalidPayload,
        `procedure ${status.procedureId} may not report on case ${status.caseId}: its file is at ${procedureId}`,
      );
    }
    await this.events.recordStatus(manager, fileId, status, messageId);
  }
}
