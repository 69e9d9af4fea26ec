import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CurrentPrincipal, Permission, type Principal } from '@poststelle/platform';
import { PaymentErrorCode, PaymentException } from '../domain/payment.exception';
import { tenantPrefixes } from '../domain/tenant-scope';
import { RefundsRepository } from '../refunds/refunds.repository';
import { PaymentsRepository, type PaymentRow } from './payments.repository';

/** A case's payment with its history and refunds; another tenant's payment answers 404 like a missing one. */
@Controller('v1')
export class PaymentsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly payments: PaymentsRepository,
    private readonly refunds: RefundsRepository,
  ) {}

  private async withHistory(payment: PaymentRow) {
    const m = this.dataSource.manager;
    return {
      ...payment,
      history: await this.payments.history(m, payment.paymentId),
      refunds: await this.refunds.ofPayment(m, payment.paymentId),
    };
  }

  @Permission('case:read')
  @Get('cases/:caseId/payment')
  async byCase(@Param('caseId', new ParseUUIDPipe({ version: '4' })) caseId: string, @CurrentPrincipal() principal: Principal | undefined) {
    const m = this.dataSource.manager;
    const scope = tenantPrefixes(principal);
    const payment = await this.payments.byCase(m, caseId, scope);
    if (payment) return this.withHistory(payment);
    const none = await this.payments.withoutFee(m, caseId, scope);
    if (none) return { caseId, status: 'NOT_REQUIRED', amountDue: '0.00', currency: 'EUR', recordedAt: none.recordedAt };
    throw new PaymentException(PaymentErrorCode.PaymentNotFound, `no payment record for case ${caseId} (yet)`);
  }

  @Permission('case:read')
  @Get('payments/:paymentId')
  async byId(
    @Param('paymentId', new ParseUUIDPipe({ version: '4' })) paymentId: string,
    @CurrentPrincipal() principal: Principal | undefined,
  ) {
    const m = this.dataSource.manager;
    const payment = await this.payments.byId(m, paymentId, tenantPrefixes(principal));
    if (!payment) throw new PaymentException(PaymentErrorCode.PaymentNotFound, `no payment ${paymentId}`);
    return this.withHistory(payment);
  }
}
