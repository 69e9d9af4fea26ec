import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CaseStatusChangedV1, Topics, validateContract, type ReplyChannelDto } from '@poststelle/contracts';
import { MessagingErrorCode, MessagingRuntime, NonRetriableError, type MessageContext } from '@poststelle/messaging';
import { NotificationDispatcher } from './notification-dispatcher';
import { RecordStatusUseCase } from './record-status.use-case';

/**
 * Consumes `cases.status.v1` from the back offices. A back office may only report on cases routed to its own
 * procedure: anything else is refused (dead letter with the reason), so one tenant never touches another's cases.
 */
@Injectable()
export class CaseStatusConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingRuntime,
    private readonly recordStatus: RecordStatusUseCase,
    private readonly dispatcher: NotificationDispatcher,
  ) {}

  onModuleInit(): void {
    this.messaging.addConsumer({ groupId: 'routing.status', handlers: { [Topics.casesStatus]: (ctx) => this.handle(ctx) } });
  }

  async handle({ manager, envelope }: MessageContext): Promise<void> {
    const status = validateContract(CaseStatusChangedV1, envelope.payload);
    const [decision] = await manager.query<{ procedure_id: string | null; reply_channel: ReplyChannelDto | null; tenant_ars: string }[]>(
      'SELECT procedure_id, reply_channel, tenant_ars FROM routing.routing_decisions WHERE case_id = $1',
      [status.caseId],
    );
    if (!decision) throw new NonRetriableError(MessagingErrorCode.InvalidPayload, `unknown case ${status.caseId}`);
    if (decision.procedure_id !== status.procedureId) {
      throw new NonRetriableError(
        MessagingErrorCode.InvalidPayload,
        `procedure ${status.procedureId} may not report on case ${status.caseId}: it is handled by ${decision.procedure_id ?? 'no procedure yet'}`,
      );
    }
    const recorded = await this.recordStatus.execute(manager, envelope.id, status, {
      replyChannel: decision.reply_channel,
      tenantArs: decision.tenant_ars,
    });
    if (recorded) this.dispatcher.nudge();
  }
}
