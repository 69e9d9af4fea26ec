import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { addToOutbox } from '@poststelle/messaging';
import { Logger } from '@poststelle/telemetry';
import { type PaymentFact, type PaymentStatus } from '../domain/payment-lifecycle';
import { planTransition, type TransitionRequest } from './payment-transition';
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

  async execute(manager: EntityManager, paymentId: string, fact: PaymentFact, request: TransitionRequest): Promise<TransitionOutcome> {
    const payment = await this.payments.lock(manager, paymentId);
    if (!payment) throw new Error(`payment ${paymentId} does not exist`);
    const planned = planTransition(payment, fact, request);
    if (!planned) return { result: 'unchanged', status: payment.status };
    if (!(await this.payments.recordTransition(manager, paymentId, planned.history)))
      return { result: 'duplicate', status: payment.status };
    await addToOutbox(manager, planned.message);
    paymentTransitions.inc({ status: planned.history.to });
    this.log.info('payment transition', {
      paymentId,
      caseId: payment.caseId,
      from: payment.status,
      to: planned.history.to,
      source: request.source,
    });
    return { result: 'applied', status: planned.history.to };
  }
}
