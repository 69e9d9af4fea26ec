import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type Principal } from '@poststelle/platform';
import { Logger } from '@poststelle/telemetry';
import { fromUnits, toUnits } from '../domain/money';
import { PaymentErrorCode, PaymentException } from '../domain/payment.exception';
import { type PaymentStatus } from '../domain/payment-lifecycle';
import { tenantPrefixes } from '../domain/tenant-scope';
import { PaymentsRepository } from '../payments/payments.repository';
import { TransitionPaymentUseCase } from '../payments/transition-payment.use-case';
import { RefundsRepository, type RefundRow } from './refunds.repository';

export interface RefundOutcome {
  refund: RefundRow;
  status: PaymentStatus;
  amountPaid: string;
  /** The request id was seen before: nothing was recorded again. */
  replayed: boolean;
}

/**
 * A refund is recorded once, from whichever side reports it first: a caseworker or tenant-admin (`POST
 * /v1/payments/{id}/refunds`, idempotent per request id) or a bank statement (a debit naming the Kassenzeichen). The
 * other side's later report of the same amount confirms it instead of refunding twice (ADR 0019).
 */
@Injectable()
export class RefundPaymentUseCase {
  private readonly log = new Logger('RefundPayment');

  constructor(
    private readonly dataSource: DataSource,
    private readonly payments: PaymentsRepository,
    private readonly refunds: RefundsRepository,
    private readonly transition: TransitionPaymentUseCase,
  ) {}

  async record(
    principal: Principal | undefined,
    paymentId: string,
    req: { amount: string; reason: string; requestId: string },
  ): Promise<RefundOutcome> {
    const by = principal?.subject ?? 'unknown';
    const amount = fromUnits(toUnits(req.amount));
    return this.dataSource.transaction(async (m) => {
      if (!(await this.payments.byId(m, paymentId, tenantPrefixes(principal))))
        throw new PaymentException(PaymentErrorCode.PaymentNotFound, `no payment ${paymentId}`);
      const payment = (await this.payments.lock(m, paymentId))!;
      const earlier = await this.refunds.byRequest(m, paymentId, req.requestId);
      if (earlier) {
        if (toUnits(earlier.amount) !== toUnits(amount) || earlier.reason !== req.reason) {
          throw new PaymentException(
            PaymentErrorCode.RefundRequestReused,
            `request ${req.requestId} already recorded a refund of ${earlier.amount} ("${earlier.reason}"); use a new Idempotency-Key for another refund`,
            { refundId: earlier.refundId },
          );
        }
        return { refund: earlier, status: payment.status, amountPaid: payment.amountPaid, replayed: true };
      }
      const refund = { refundId: randomUUID(), paymentId, requestId: req.requestId, amount, reason: req.reason, origin: 'api' as const };
      const seen = await this.refunds.unconfirmed(m, paymentId, amount, 'statement');
      if (seen) {
        // The bank statement showed this refund leaving already (and booked it): this request confirms it.
        await this.refunds.confirm(m, seen.refundId, `request:${req.requestId}`);
        await this.refunds.insert(m, { ...refund, recordedBy: by, confirmedBy: seen.requestId });
        this.log.info('refund confirms one seen on a statement', { paymentId, refundId: refund.refundId, seen: seen.refundId });
        return this.outcome(m, paymentId, refund.refundId);
      }
      if (toUnits(amount) > toUnits(payment.amountPaid)) {
        throw new PaymentException(
          PaymentErrorCode.RefundExceedsPaid,
          `a refund of ${amount} is more than the ${payment.amountPaid} paid on this payment (${payment.status})`,
        );
      }
      await this.transition.execute(
        m,
        paymentId,
        { kind: 'refund', amount },
        { requestId: `refund:${req.requestId}`, source: `refund:${by}`, note: `reason: ${req.reason}` },
      );
      await this.refunds.insert(m, { ...refund, recordedBy: by, confirmedBy: null });
      this.log.info('refund recorded', { paymentId, refundId: refund.refundId, amount, by });
      return this.outcome(m, paymentId, refund.refundId);
    });
  }

  /**
   * A debit naming the payment's Kassenzeichen (the caller's transaction, payment row locked): confirms a refund a
   * caseworker recorded for this amount, else books the refund. Returns what happened, for the statement item.
   */
  async fromStatement(m: EntityManager, paymentId: string, amount: string, source: string, note: string): Promise<string> {
    const recorded = await this.refunds.unconfirmed(m, paymentId, amount, 'api');
    const refund = { refundId: randomUUID(), paymentId, requestId: source, amount, reason: note, origin: 'statement' as const };
    if (recorded) {
      await this.refunds.confirm(m, recorded.refundId, source);
      await this.refunds.insert(m, { ...refund, recordedBy: 'bank-statement', confirmedBy: `request:${recorded.requestId}` });
      return `refund → confirms the refund of ${amount} recorded by ${recorded.recordedBy} (request ${recorded.requestId})`;
    }
    const outcome = await this.transition.execute(m, paymentId, { kind: 'refund', amount }, { requestId: source, source, note });
    if (outcome.result === 'applied') await this.refunds.insert(m, { ...refund, recordedBy: 'bank-statement', confirmedBy: null });
    return `refund → ${outcome.status}${outcome.result === 'applied' ? '' : ` (${outcome.result})`}`;
  }

  private async outcome(m: EntityManager, paymentId: string, refundId: string): Promise<RefundOutcome> {
    const payment = (await this.payments.byId(m, paymentId, null))!;
    const refund = (await this.refunds.ofPayment(m, paymentId)).find((r) => r.refundId === refundId)!;
    return { refund, status: payment.status, amountPaid: payment.amountPaid, replayed: false };
  }
}
