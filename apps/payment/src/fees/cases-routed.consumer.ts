import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CaseRoutedV1, Topics, validateContract } from '@poststelle/contracts';
import { MessagingRuntime, type MessageContext } from '@poststelle/messaging';
import { RecordFeeUseCase } from './record-fee.use-case';

@Injectable()
export class CasesRoutedConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingRuntime,
    private readonly recordFee: RecordFeeUseCase,
  ) {}

  onModuleInit(): void {
    this.messaging.addConsumer({ groupId: 'payment', handlers: { [Topics.casesRouted]: (ctx) => this.handle(ctx) } });
  }

  async handle({ manager, envelope }: MessageContext): Promise<void> {
    const event = validateContract(CaseRoutedV1, envelope.payload);
    await this.recordFee.execute(manager, event.case, envelope.id);
  }
}
