import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Principal } from '@poststelle/platform';
import { Logger } from '@poststelle/telemetry';
import { fromUnits, toUnits } from '../domain/money';
import { PaymentErrorCode, PaymentException } from '../domain/payment.exception';
import { tenantPrefixes } from '../domain/tenant-scope';
import { PaymentsRepository } from '../payments/payments.repository';
import { TransitionPaymentUseCase, type TransitionOutcome } from '../payments/transition-payment.use-case';
import { StatementsRepository } from './statements.repository';

/** A clerk settles an unmatched statement item: assigns it to a case of the same tenant, or marks it as not ours. */
@Injectable()
export class ClerkQueueUseCase {
  private readonly log = new Logger('ClerkQueue');

  constructor(
    private readonly dataSource: DataSource,
    private readonly statements: StatementsRepository,
    private readonly payments: PaymentsRepository,
    private readonly transition: TransitionPaymentUseCase,
  ) {}

  async assign(principal: Principal | undefined, itemId: string, caseId: string): Promise<TransitionOutcome & { paymentId: string }> {
    return this.dataSource.transaction(async (manager) => {
      const item = await this.openItem(manager, principal, itemId);
      const payment = await this.payments.byCase(manager, caseId, [item.tenantArs]);
      if (!payment || payment.tenantArs !== item.tenantArs) {
        throw new PaymentException(PaymentErrorCode.PaymentNotFound, `case ${caseId} has no payment in tenant ${item.tenantArs}`);
      }
      if (item.currency !== 'EUR') {
        throw new PaymentException(PaymentErrorCode.TransitionNotAllowed, `the item is in ${item.currency}; payments are due in EUR`);
      }
      const amount = fromUnits(toUnits(item.amount));
      const source = `clerk:${principal?.subject ?? 'unknown'}`;
      const fact =
        item.direction === 'DBIT'
          ? { kind: 'return' as const, amount, ...(item.refs.returnReasonCode ? { reasonCode: item.refs.returnReasonCode } : {}) }
          : { kind: 'credit' as const, amount };
      const outcome = await this.transition.execute(manager, payment.paymentId, fact, {
        requestId: `queue:${itemId}`,
        source,
        note: `assigned from the clerk queue (item ${itemId})`,
      });
      await this.statements.settleQueueItem(manager, itemId, 'assigned', caseId, principal?.subject ?? 'unknown');
      this.log.info('queue item assigned', { itemId, caseId, by: principal?.subject, status: outcome.status });
      return { ...outcome, paymentId: payment.paymentId };
    });
  }

  async notOurs(principal: Principal | undefined, itemId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.openItem(manager, principal, itemId);
      await this.statements.settleQueueItem(manager, itemId, 'not-ours', null, principal?.subject ?? 'unknown');
      this.log.info('queue item marked as not ours', { itemId, by: principal?.subject });
    });
  }

  private async openItem(manager: Parameters<StatementsRepository['lockQueueItem']>[0], principal: Principal | undefined, itemId: string) {
    const item = await this.statements.lockQueueItem(manager, itemId, tenantPrefixes(principal));
    if (!item) throw new PaymentException(PaymentErrorCode.QueueItemNotFound, `no queue item ${itemId}`);
    if (item.state !== 'open')
      throw new PaymentException(PaymentErrorCode.QueueItemSettled, `queue item ${itemId} is already ${item.state}`);
    return item;
  }
}
