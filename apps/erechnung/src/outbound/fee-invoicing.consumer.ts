import { Injectable, type OnModuleInit } from '@nestjs/common';
import { FeeEventV1, Topics, validateContract } from '@poststelle/contracts';
import { MessagingRuntime, type MessageContext } from '@poststelle/messaging';
import { IssueFeeInvoiceUseCase } from './issue-fee-invoice.use-case';

/**
 * Its own consumer group (`erechnung.outbound`), so issuing invoices (validation takes a few hundred ms) never holds
 * up recording fees, and a failure here retries and dead-letters on its own.
 */
@Injectable()
export class FeeInvoicingConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingRuntime,
    private readonly issue: IssueFeeInvoiceUseCase,
  ) {}

  onModuleInit(): void {
    this.messaging.addConsumer({ groupId: 'erechnung.outbound', handlers: { [Topics.paymentsEvents]: (ctx) => this.handle(ctx) } });
  }

  async handle({ manager, envelope }: MessageContext): Promise<void> {
    // The topic also carries payment transitions (`payment.status-changed`); only fee events concern invoicing.
    if (envelope.type !== 'fee.due' && envelope.type !== 'fee.not-required') return;
    await this.issue.execute(manager, validateContract(FeeEventV1, envelope.payload), envelope.id);
  }
}
