import { Body, Controller, Headers, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { type Response } from 'express';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { DECIMAL_AMOUNT, validateContract } from '@poststelle/contracts';
import { CurrentPrincipal, Permission, type Principal } from '@poststelle/platform';
import { toUnits } from '../domain/money';
import { PaymentErrorCode, PaymentException } from '../domain/payment.exception';
import { RefundPaymentUseCase } from './refund-payment.use-case';

export class RefundRequest {
  @Matches(DECIMAL_AMOUNT, { message: 'amount must be a decimal string such as "30.50"' }) amount!: string;
  @IsString() @IsNotEmpty() @MaxLength(300) reason!: string;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** Refunds of a payment, recorded by a caseworker or tenant-admin of its tenant. */
@Controller('v1')
export class RefundsController {
  constructor(private readonly refunds: RefundPaymentUseCase) {}

  /**
   * Records that (part of) a payment was paid back: 201 with the refund and the payment's new status; the same
   * Idempotency-Key again answers 200 with the refund recorded then, and records nothing.
   */
  @Permission('payment:refund')
  @Post('payments/:paymentId/refunds')
  @HttpCode(201)
  async refund(
    @Param('paymentId', new ParseUUIDPipe({ version: '4' })) paymentId: string,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (idempotencyKey === undefined || !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new PaymentException(
        PaymentErrorCode.IdempotencyKeyRequired,
        'send an Idempotency-Key header (1-200 visible ASCII characters): a refund is recorded once per key',
      );
    }
    const req = validateContract(RefundRequest, body);
    if (toUnits(req.amount) <= 0n) {
      throw new PaymentException(PaymentErrorCode.InvalidRefundAmount, 'a refund must be more than 0.00', {
        errors: [{ field: 'amount', message: 'must be more than 0.00' }],
      });
    }
    const outcome = await this.refunds.record(principal, paymentId, { ...req, requestId: idempotencyKey });
    if (outcome.replayed) res.status(200);
    return { ...outcome.refund, paymentStatus: outcome.status, amountPaid: outcome.amountPaid, replayed: outcome.replayed };
  }
}
