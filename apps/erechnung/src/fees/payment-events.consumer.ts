import { Injectable, type OnModuleInit } from '@nestjs/common';
import { FeeEventV1, Topics, validateContract } from '@poststelle/contracts';
import { MessagingRuntime, type MessageContext } from '@poststelle/messaging';
import { RecordFeeForInvoicingUseCase } from './record-fee-for-invoicing.use-case';

@Injectable()
export class PaymentEventsConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingRuntime,
    private readonly recordFee: RecordFeeForInvoicingUseCase,
  ) {}

  onModuleInit(): void {
    this.messaging.addConsumer({ groupId: 'erechnung', handlers: { [Topics.paymentsEvents]: (ctx) => this.handle(ctx) } });
  }

  async handle({ manager, envelope }: MessageContext): Promise<void> {
    // The topic also carries payment transitions (`payment.status-changed`); only fee events concern invoicing.
    if (envelope.type !== 'fee.due' && envelope.type !== 'fee.not-required') return;
    await this.recordFee.execute(manager, validateContract(FeeEventV1, envelope.payload), envelope.id);
  }
}
