import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ContractValidationError, Topics } from '@poststelle/contracts';
import { MessagingRuntime, type MessageContext } from '@poststelle/messaging';
import { Logger } from '@poststelle/telemetry';
import {
  AcceptSubmissionUseCase,
  INTAKE_SETTINGS,
  IntakeErrorCode,
  type IntakeSettings,
  isInputRejection,
  RejectedInputsRepository,
  SubmissionCommand,
  type Submitter,
} from '../../core';

/** The payload as kept with a rejection; undefined when it cannot be serialised (nested too deep for the stack). */
function serialised(payload: unknown): Buffer | undefined {
  try {
    return Buffer.from(JSON.stringify(payload ?? null));
  } catch {
    return undefined;
  }
}

/**
 * Consumes `intake.submissions.v1`, where channel adapters publish. A valid submission becomes a case; an invalid
 * one is kept as a rejected input with its field errors (it is the sender's fault, retrying cannot help). One that
 * cannot even be serialised again (nested thousands of levels deep) is dead-lettered at once with its field errors
 * (ContractValidationError → `dlq.intake.submissions.v1`, code INVALID_PAYLOAD), never retried.
 */
@Injectable()
export class SubmissionIntakeConsumer implements OnModuleInit {
  private readonly log = new Logger('SubmissionIntakeConsumer');

  constructor(
    private readonly messaging: MessagingRuntime,
    private readonly accept: AcceptSubmissionUseCase,
    private readonly rejections: RejectedInputsRepository,
    @Inject(INTAKE_SETTINGS) private readonly settings: IntakeSettings,
  ) {}

  /**
   * Kafka carries no token: whoever may write to the topic (ACLs) may submit on any channel kind, and asserts only
   * what INTAKE_KAFKA_ADAPTER_MAY_ASSERT allows (default nothing).
   */
  private get submitter(): Submitter {
    return { id: 'kafka-adapter', mayAssert: this.settings.kafkaAdapter.mayAssert };
  }

  onModuleInit(): void {
    this.messaging.addConsumer({ groupId: 'intake.submissions', handlers: { [Topics.intakeSubmissions]: (ctx) => this.handle(ctx) } });
  }

  async handle({ manager, envelope }: MessageContext): Promise<void> {
    try {
      // The one validation point: the message and the submission inside it, in one pass.
      const result = await this.accept.executeIn(manager, SubmissionCommand.fromMessage(envelope.payload, this.submitter));
      this.log.info('submission from channel adapter accepted', {
        messageId: envelope.id,
        caseId: result.caseId,
        replayed: result.replayed,
      });
    } catch (error) {
      const original = serialised(envelope.payload);
      if (error instanceof ContractValidationError) {
        // Too deep to serialise again: dead-lettered with its field errors; the dead letter keeps the message bytes.
        if (!original) throw error;
        const rejectionId = await this.rejections.record(
          { source: 'kafka', reasonCode: IntakeErrorCode.InvalidSubmission, errors: error.errors, original, submittedBy: 'kafka-adapter' },
          manager,
        );
        this.log.warn('submission from channel adapter rejected', {
          messageId: envelope.id,
          rejectionId,
          fields: error.errors.map((e) => e.field),
        });
        return;
      }
      if (isInputRejection(error)) {
        if (!original) throw new ContractValidationError('SubmissionSubmittedV1', [{ field: '$', message: error.message }]);
        const rejectionId = await this.rejections.record(
          {
            source: 'kafka',
            reasonCode: error.code,
            errors: [{ field: '$', message: error.message }],
            original,
            submittedBy: 'kafka-adapter',
          },
          manager,
        );
        this.log.warn('submission from channel adapter rejected', { messageId: envelope.id, rejectionId, code: error.code });
        return;
      }
      throw error;
    }
  }
}
