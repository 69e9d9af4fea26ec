import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CaseReceivedV1, Topics, validateContract } from '@poststelle/contracts';
import { MessagingRuntime, type MessageContext } from '@poststelle/messaging';
import { RecordFeeUseCase } from './record-fee.use-case';

/** Fees are recorded when a case is received, before routing: a gated case must be payable before it is routed. */
@Injectable()
export class CasesReceivedConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingRuntime,
    private readonly recordFee: RecordFeeUseCase,
  ) {}

  onModuleInit(): void {
    this.messaging.addConsumer({ groupId: 'payment', handlers: { [Topics.casesReceived]: (ctx) => this.handle(ctx) } });
  }

  async handle({ manager, envelope }: MessageContext): Promise<void> {
    const event = validateContract(CaseReceivedV1, envelope.payload);
    await this.recordFee.execute(manager, event.case, envelope.id);
  }
}
