import { Injectable, type OnModuleInit } from '@nestjs/common';
import { FeeEventV1, FeeScheduleChangedV1, PaymentStatusChangedV1, Topics, validateContract } from '@poststelle/contracts';
import { MessagingRuntime, type MessageContext } from '@poststelle/messaging';
import { PaymentGate } from './payment-gate';
import { RouteCaseUseCase } from './route-case.use-case';

/**
 * Keeps routing's copy of the fee policies and releases a held case once payment reports it BOOKED (or OVERPAID);
 * a failed or cancelled payment of a held case, and a return after release, are recorded as status ACTION_REQUIRED
 * (the applicant is notified, the caseworker sees it in the case's status history).
 */
@Injectable()
export class PaymentGateConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingRuntime,
    private readonly gate: PaymentGate,
    private readonly routeCase: RouteCaseUseCase,
  ) {}

  onModuleInit(): void {
    this.messaging.addConsumer({
      groupId: 'routing.payment-gate',
      handlers: {
        [Topics.paymentsFeeSchedule]: (ctx) => this.schedule(ctx),
        [Topics.paymentsEvents]: (ctx) => this.payment(ctx),
      },
    });
  }

  async schedule({ manager, envelope }: MessageContext): Promise<void> {
    await this.gate.recordPolicy(manager, validateContract(FeeScheduleChangedV1, envelope.payload));
  }

  async payment({ manager, envelope }: MessageContext): Promise<void> {
    if (envelope.type === 'fee.due') {
      const fee = validateContract(FeeEventV1, envelope.payload);
      const state = await this.gate.noteFee(manager, fee.caseId, fee.kassenzeichen, fee.amount);
      const held = state === 'held' ? await this.gate.caseOf(manager, fee.caseId) : undefined;
      if (held) {
        await this.gate.status(
          manager,
          held.kase,
          held.decision.procedureId,
          `Payment pending: the fee of ${fee.amount} EUR must be paid with Kassenzeichen ${fee.kassenzeichen ?? '(see the fee notice)'} before your application is processed.`,
        );
      }
      return;
    }
    if (envelope.type !== 'payment.status-changed') return;
    const event = validateContract(PaymentStatusChangedV1, envelope.payload);
    if (event.status === 'BOOKED' || event.status === 'OVERPAID') {
      const released = await this.gate.book(manager, event.caseId);
      if (released) {
        await this.routeCase.publishRouted(manager, released.kase, envelope.id, {
          ...released.decision,
          explanation: `${released.decision.explanation}; released: payment ${event.kassenzeichen} booked`,
        });
      }
      return;
    }
    if (event.status === 'FAILED' || event.status === 'CANCELED' || event.status === 'RETURNED') {
      const known = await this.gate.caseOf(manager, event.caseId);
      if (!known) return;
      const what =
        event.status === 'RETURNED'
          ? `The payment with Kassenzeichen ${event.kassenzeichen} was returned by the bank${event.returnReasonCode ? ` (reason ${event.returnReasonCode})` : ''}.`
          : `The payment with Kassenzeichen ${event.kassenzeichen} ${event.status === 'FAILED' ? 'failed' : 'was cancelled'}.`;
      await this.gate.status(
        manager,
        known.kase,
        known.decision.procedureId,
        `${what} Please pay ${event.amountDue} EUR by bank transfer with the Kassenzeichen ${event.kassenzeichen} in the remittance text, or start the online payment again.`,
      );
    }
  }
}
