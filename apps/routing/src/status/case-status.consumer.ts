import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { CaseStatusChangedV1, PROCEDURE_STATUS_TOPIC, Topics, procedureOfStatusTopic, validateContract } from '@poststelle/contracts';
import { MessagingErrorCode, MessagingRuntime, NonRetriableError, type MessageContext, type ReliableConsumer } from '@poststelle/messaging';
import { Logger } from '@poststelle/telemetry';
import { ROUTING_SETTINGS, type RoutingSettings } from '../routing.config';
import { NotificationDispatcher } from './notification-dispatcher';
import { ReportStatusUseCase } from './report-status.use-case';
import { legacyStatusReports } from './status-metrics';

/**
 * Consumes the back offices' status reports, in one group (`routing.status`):
 * - `procedure.<procedureId>.status.v1`, all of them through one topic-pattern subscription. Only that procedure's
 *   principal may write the topic (deploy/kafka-acls), so the topic name is who reports: a payload naming another
 *   procedure is refused (dead letter with the reason).
 * - the deprecated shared `cases.status.v1` while `LEGACY_SHARED_STATUS_TOPIC` is on, each report logged as a
 *   warning and counted (ADR 0013); there only the payload names the reporter.
 * Either way a procedure may only report on cases routed to it, so one tenant never touches another's cases.
 */
@Injectable()
export class CaseStatusConsumer implements OnModuleInit {
  private readonly log = new Logger('CaseStatus');
  private consumer: ReliableConsumer | undefined;

  constructor(
    private readonly messaging: MessagingRuntime,
    private readonly reportStatus: ReportStatusUseCase,
    private readonly dispatcher: NotificationDispatcher,
    @Inject(ROUTING_SETTINGS) private readonly settings: RoutingSettings,
  ) {}

  onModuleInit(): void {
    const { legacySharedTopic, topicRescanMs } = this.settings.status;
    this.consumer = this.messaging.addConsumer({
      groupId: 'routing.status',
      handlers: legacySharedTopic ? { [Topics.casesStatus]: (ctx) => this.handleShared(ctx) } : {},
      topicPattern: { pattern: PROCEDURE_STATUS_TOPIC, handler: (ctx) => this.handle(ctx), rescanMs: topicRescanMs },
    });
  }

  /** Picks up procedure status topics created since the last look (routing calls it after creating one). */
  async refreshSubscription(): Promise<void> {
    await this.consumer?.refreshSubscription();
  }

  async handle({ manager, envelope, topic }: MessageContext): Promise<void> {
    const reporter = procedureOfStatusTopic(topic);
    if (!reporter) throw new NonRetriableError(MessagingErrorCode.InvalidPayload, `${topic} is no procedure status topic`);
    const status = validateContract(CaseStatusChangedV1, envelope.payload);
    if (status.procedureId !== reporter) {
      throw new NonRetriableError(
        MessagingErrorCode.InvalidPayload,
        `status on ${topic} names procedure ${status.procedureId}: procedure ${reporter} reports only for itself, on case ${status.caseId}`,
      );
    }
    await this.record(manager, envelope.id, status);
  }

  async handleShared({ manager, envelope }: MessageContext): Promise<void> {
    const status = validateContract(CaseStatusChangedV1, envelope.payload);
    legacyStatusReports.inc();
    this.log.warn('status reported on the deprecated shared topic; the back office should report on its procedure status topic', {
      topic: Topics.casesStatus,
      caseId: status.caseId,
      procedureId: status.procedureId,
      reportedBy: status.reportedBy,
      messageId: envelope.id,
    });
    await this.record(manager, envelope.id, status);
  }

  private async record(manager: EntityManager, messageId: string, status: CaseStatusChangedV1): Promise<void> {
    if (await this.reportStatus.execute(manager, messageId, status)) this.dispatcher.nudge();
  }
}
