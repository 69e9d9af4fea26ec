import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Principal } from '@poststelle/platform';
import { Logger, describeError } from '@poststelle/telemetry';
import { fromUnits, toUnits } from '../domain/money';
import { PaymentErrorCode, PaymentException } from '../domain/payment.exception';
import { actsFor } from '../domain/tenant-scope';
import { PaymentsRepository } from '../payments/payments.repository';
import { TransitionPaymentUseCase } from '../payments/transition-payment.use-case';
import { ProviderRepository } from './provider.repository';
import { ProviderUnavailableError, XBezahldiensteClient, type ProviderConfig } from './xbezahldienste.client';

/**
 * Online payment (XBezahldienste pattern): the portal asks for a paypage, the citizen pays there, and the status is
 * taken only from the provider's status query: polled with backoff until final, and at once when the citizen
 * returns. Whatever the browser's return URL says books nothing.
 */
@Injectable()
export class OnlinePaymentUseCase {
  private readonly log = new Logger('OnlinePayment');

  constructor(
    private readonly dataSource: DataSource,
    private readonly payments: PaymentsRepository,
    private readonly provider: ProviderRepository,
    private readonly client: XBezahldiensteClient,
    private readonly transition: TransitionPaymentUseCase,
  ) {}

  async configure(principal: Principal | undefined, config: ProviderConfig): Promise<void> {
    if (!actsFor(principal, config.tenantArs))
      throw new PaymentException(PaymentErrorCode.TenantNotPermitted, `you do not act for tenant ${config.tenantArs}`);
    await this.provider.upsertConfig(this.dataSource.manager, config, principal?.subject ?? 'unknown');
  }

  /** Creates the provider transaction once per payment (again: the same paypage) and hands back the paypage URL. */
  async start(
    caseId: string,
    returnUrl: string,
  ): Promise<{ paymentId: string; kassenzeichen: string; amount: string; paypageUrl: string }> {
    const m = this.dataSource.manager;
    const payment = await this.payments.byCase(m, caseId, null);
    if (!payment) throw new PaymentException(PaymentErrorCode.PaymentNotFound, `no payment for case ${caseId} (yet)`);
    const summary = { paymentId: payment.paymentId, kassenzeichen: payment.kassenzeichen, amount: payment.amountDue };
    if (payment.paypageUrl) return { ...summary, paypageUrl: payment.paypageUrl };
    if (payment.status !== 'INITIAL') throw new PaymentException(PaymentErrorCode.TransitionNotAllowed, `the payment is ${payment.status}`);
    const config = await this.provider.config(m, payment.tenantArs);
    if (!config)
      throw new PaymentException(
        PaymentErrorCode.ProviderNotConfigured,
        `tenant ${payment.tenantArs} has no online payment provider configured`,
      );
    try {
      const tx = await this.client.create(config, {
        requestId: payment.paymentId,
        purpose: `${payment.kassenzeichen} ${payment.bookingText}`.slice(0, 27),
        amount: payment.amountDue,
        items: [{ description: payment.bookingText, amount: payment.amountDue }],
        returnUrl,
      });
      await this.provider.setTransaction(m, payment.paymentId, tx.transactionId, tx.paypageUrl);
      this.log.info('online payment started', { paymentId: payment.paymentId, transactionId: tx.transactionId });
      return { ...summary, paypageUrl: tx.paypageUrl };
    } catch (error) {
      if (error instanceof ProviderUnavailableError) throw new PaymentException(PaymentErrorCode.ProviderUnavailable, error.message);
      throw error;
    }
  }

  /** The citizen is back from the paypage: ask the provider now. The return URL's own claims are not read. */
  async citizenReturned(paymentId: string): Promise<void> {
    await this.provider.pollNow(this.dataSource.manager, paymentId);
  }

  /** One status query; returns the delay until the next one (null: final, stop asking). */
  async poll(
    candidate: { paymentId: string; tenantArs: string; transactionId: string; attempts: number },
    backoff: (attempts: number) => number,
  ): Promise<number | null> {
    const config = await this.provider.config(this.dataSource.manager, candidate.tenantArs);
    if (!config) return null;
    let answer;
    try {
      answer = await this.client.status(config, candidate.transactionId);
    } catch (error) {
      this.log.warn('provider status query failed; asked again later', { paymentId: candidate.paymentId, ...describeError(error) });
      return backoff(candidate.attempts);
    }
    if (answer.status === 'INITIAL') return backoff(candidate.attempts);
    const final = answer.status === 'PAYED' ? 'BOOKED' : answer.status;
    const payment = await this.payments.byId(this.dataSource.manager, candidate.paymentId, null);
    // A platform that took another amount than is due (e.g. a portal's transaction for another fee) books that amount.
    const other = final === 'BOOKED' && answer.amount !== undefined && payment && toUnits(answer.amount) !== toUnits(payment.amountDue);
    await this.dataSource.transaction((manager) =>
      this.transition.execute(
        manager,
        candidate.paymentId,
        other ? { kind: 'credit', amount: fromUnits(toUnits(answer.amount!)) } : { kind: 'provider-status', status: final },
        {
          requestId: `provider:${candidate.transactionId}:${final}`,
          source: 'provider',
        },
      ),
    );
    return null;
  }
}
