import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type CaseStatusChangedV1 } from '@poststelle/contracts';
import { MessagingErrorCode, NonRetriableError } from '@poststelle/messaging';
import { RoutingDecisionsRepository } from '../routing/routing-decisions.repository';
import { RecordStatusUseCase } from './record-status.use-case';

/**
 * A back office reports a status: only on a case routed to its procedure (so one tenant never touches another's
 * cases); anything else is refused for good (dead letter with the reason). Returns whether a status was recorded.
 */
@Injectable()
export class ReportStatusUseCase {
  constructor(
    private readonly decisions: RoutingDecisionsRepository,
    private readonly recordStatus: RecordStatusUseCase,
  ) {}

  async execute(manager: EntityManager, messageId: string, status: CaseStatusChangedV1): Promise<boolean> {
    const decision = await this.decisions.forStatus(manager, status.caseId);
    if (!decision) throw new NonRetriableError(MessagingErrorCode.InvalidPayload, `unknown case ${status.caseId}`);
    if (decision.procedureId !== status.procedureId) {
      throw new NonRetriableError(
        MessagingErrorCode.InvalidPayload,
        `procedure ${status.procedureId} may not report on case ${status.caseId}: it is handled by ${decision.procedureId ?? 'no procedure yet'}`,
      );
    }
    return this.recordStatus.execute(manager, messageId, status, { replyChannel: decision.replyChannel, tenantArs: decision.tenantArs });
  }
}
