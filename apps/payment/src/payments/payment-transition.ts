import { EventTypes, Topics, type FeePolicy, type PaymentStatusChangedV1 } from '@poststelle/contracts';
import { type OutgoingMessage } from '@poststelle/messaging';
import { fromUnits, toUnits } from '../domain/money';
import { nextState, type PaymentFact } from '../domain/payment-lifecycle';
import { type HistoryRow, type PaymentRow } from './payments.repository';

export interface PlannedTransition {
  history: HistoryRow;
  /** The `payment.status-changed` message for `payments.events.v1`. */
  message: OutgoingMessage<PaymentStatusChangedV1>;
}

export interface TransitionRequest {
  requestId: string;
  source: string;
  note?: string;
}

/**
 * What a fact does to a payment: its history row and the event announcing it; `undefined` when the fact changes
 * nothing. Pure: the caller holds the payment's row lock and writes both in its transaction (one payment at a time,
 * or a whole statement chunk at once).
 */
export function planTransition(payment: PaymentRow, fact: PaymentFact, request: TransitionRequest): PlannedTransition | undefined {
  const next = nextState(payment, fact);
  if (!next) return undefined;
  const reason = request.note ? `${next.reason}; ${request.note}` : next.reason;
  const amountPaid = fromUnits(toUnits(next.amountPaid));
  const event: PaymentStatusChangedV1 = {
    paymentId: payment.paymentId,
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
  return {
    history: {
      paymentId: payment.paymentId,
      from: payment.status,
      to: next.status,
      amountPaid,
      reason,
      source: request.source,
      requestId: request.requestId,
    },
    message: {
      topic: Topics.paymentsEvents,
      key: payment.caseId,
      type: EventTypes.paymentStatusChanged,
      payload: event,
      correlationId: payment.caseId,
      tenant: payment.tenantArs,
    },
  };
}
