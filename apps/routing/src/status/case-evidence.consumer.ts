import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CaseEvidenceAddedV1, Topics, validateContract } from '@poststelle/contracts';
import { MessagingRuntime, type MessageContext } from '@poststelle/messaging';
import { ApplyEvidenceUseCase } from './apply-evidence.use-case';

/** Follow-up evidence (`cases.evidence.v1`, group `routing.evidence`): validated here, applied by the use-case. */
@Injectable()
export class CaseEvidenceConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingRuntime,
    private readonly applyEvidence: ApplyEvidenceUseCase,
  ) {}

  onModuleInit(): void {
    this.messaging.addConsumer({ groupId: 'routing.evidence', handlers: { [Topics.casesEvidence]: (ctx) => this.handle(ctx) } });
  }

  async handle({ manager, envelope }: MessageContext): Promise<void> {
    await this.applyEvidence.execute(manager, envelope.id, validateContract(CaseEvidenceAddedV1, envelope.payload));
  }
}
