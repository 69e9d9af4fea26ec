import { Body, Controller, Get, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { IsIn, Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import { DECIMAL_AMOUNT, LEIKA_KEY, validateContract } from '@poststelle/contracts';
import { ServiceException, Permission } from '@poststelle/platform';

export class UpsertFeeRequest {
  @Matches(DECIMAL_AMOUNT, { message: 'amount must be a decimal string such as "30.00"' }) amount!: string;
  @IsIn(['none', 'optional', 'before-processing', 'deferred']) policy!: 'none' | 'optional' | 'before-processing' | 'deferred';
  @Matches(/^[A-Z0-9 .,/-]{1,27}$/, { message: 'bookingText: at most 27 upper-case letters, digits, space . , / -' }) bookingText!: string;
}

@Controller('v1')
export class FeesController {
  constructor(private readonly dataSource: DataSource) {}

  /** Fee schedule per service (LeiKa) and region prefix (2, 3, 5, 9 or 12 ARS digits). */
  @Permission('config:write')
  @Put('admin/fees/:leikaKey/:arsPrefix')
  async upsert(@Param('leikaKey') leikaKey: string, @Param('arsPrefix') arsPrefix: string, @Body() body: unknown) {
    const errors = [
      ...(LEIKA_KEY.test(leikaKey) ? [] : [{ field: 'leikaKey', message: 'must be 14 digits starting with 99' }]),
      ...(/^(\d{2}|\d{3}|\d{5}|\d{9}|\d{12})$/.test(arsPrefix)
        ? []
        : [{ field: 'arsPrefix', message: 'must have 2, 3, 5, 9 or 12 digits' }]),
    ];
    if (errors.length > 0) throw new ServiceException('INVALID_FEE_KEY', 422, 'invalid fee key', { errors });
    const req = validateContract(UpsertFeeRequest, body);
    await this.dataSource.query(
      `INSERT INTO payment.fees (leika_key, ars_prefix, amount, policy, booking_text) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (leika_key, ars_prefix) DO UPDATE SET amount = $3, policy = $4, booking_text = $5, updated_at = now()`,
      [leikaKey, arsPrefix, req.amount, req.policy, req.bookingText],
    );
    return { leikaKey, arsPrefix, ...req };
  }

  @Permission('case:read')
  @Get('cases/:caseId/payment')
  async payment(@Param('caseId', new ParseUUIDPipe({ version: '4' })) caseId: string) {
    const [row] = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT fee_id AS "feeId", amount::text AS amount, kassenzeichen, policy, payment_method AS "paymentMethod", status, recorded_at AS "recordedAt"
         FROM payment.payment_dues WHERE case_id = $1`,
      [caseId],
    );
    if (!row) throw new ServiceException('PAYMENT_NOT_FOUND', 404, `no payment record for case ${caseId} (yet)`);
    return { caseId, currency: 'EUR', ...row };
  }
}
