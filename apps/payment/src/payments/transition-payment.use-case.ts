import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { EventTypes, Topics, type FeePolicy, type PaymentStatusChangedV1 } from '@poststelle/contracts';
import { addToOutbox } from '@poststelle/messaging';
import { Logger } from '@poststelle/telemetry';
import { fromUnits, toUnits } from '../domain/money';
import { nextState, type PaymentFact, type PaymentStatus } from '../domain/payment-lifecycle';
import { PaymentsRepository } from './payments.repository';
import { paymentTransitions } from './payment-metrics';

export interface TransitionOutcome {
  /** `applied`: a transition was recorded; `unchanged`: the fact changes nothing; `duplicate`: the request was seen. */
  result: 'applied' | 'unchanged' | 'duplicate';
  status: PaymentStatus;
}

/**
 * Applies a fact to a payment under a row lock, once per request id: the history row, the new state and the
 * `payment.status-changed` event are written in the caller's transaction.
 */
@Injectable()
export class TransitionPaymentUseCase {
  private readonly log = new Logger('TransitionPayment');

  constructor(private readonly payments: PaymentsRepository) {}

  async execute(
    manager: EntityManager,
    paymentId: string,
    fact: PaymentFact,
    request: { requestId: string; source: string; note?: string },
  ): Promise<TransitionOutcome> {
    const payment = await this.payments.lock(manager, paymentId);
    if (!payment) throw new Error(`payment ${paymentId} does not exist`);
    const next = nextState(payment, fact);
    if (!next) return { result: 'unchanged', status: payment.status };
    const reason = request.note ? `${next.reason}; ${request.note}` : next.reason;
    const amountPaid = fromUnits(toUnits(next.amountPaid));
    const recorded = await this.payments.recordTransition(manager, paymentId, {
      from: payment.status,
      to: next.status,
      amountPaid,
      reason,
      source: request.source,
      requestId: request.requestId,
    });
    if (!recorded) return { result: 'duplicate', status: payment.status };
    const event: PaymentStatusChangedV1 = {
      paymentId,
      caseId: payment.caseId,
      tenantArs: payment.tenantArs,
      kassenzeichen: payment.kassenzeichen,
      policy: payment.policy as FeePolicy,
      previousStatus: payment.status,
      status: next.status,
      amountDue: fromUnits(toUnits(payment.amountDue)),
      amountPaid,
      currency: 'EUR',
      reason: reason.slice(0, 500),
      ...(fact.kind === 'return' && fact.reasonCode ? { returnReasonCode: fact.reasonCode } : {}),
      source: request.source.slice(0, 200),
      changedAt: new Date().toISOString(),
    };
    await addToOutbox(manager, {
      topic: Topics.paymentsEvents,
      key: payment.caseId,
      type: EventTypes.paymentStatusChanged,
      payload: event,
      correlationId: payment.caseId,
      tenant: payment.tenantArs,
    });
    paymentTransitions.inc({ status: next.status });
    this.log.info('payment transition', {
      paymentId,
      caseId: payment.caseId,
      from: payment.status,
      to: next.status,
      source: request.source,
    });
    return { result: 'applied', status: next.status };
  }
}
