import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import { DECIMAL_AMOUNT, FEE_POLICIES, LEIKA_KEY, validateContract, type FeePolicy } from '@poststelle/contracts';
import { CurrentPrincipal, Permission, type Principal } from '@poststelle/platform';
import { PaymentErrorCode, PaymentException } from '../domain/payment.exception';
import { tenantPrefixes } from '../domain/tenant-scope';
import { ChangeFeeUseCase } from './change-fee.use-case';
import { canonicalPolicy } from './fee-policy';
import { FeeScheduleRepository } from './fee-schedule.repository';

export class UpsertFeeRequest {
  @Matches(DECIMAL_AMOUNT, { message: 'amount must be a decimal string such as "30.00"' }) amount!: string;
  @IsIn(FEE_POLICIES, { message: 'policy must be none, optional, mandatory-before-processing or deferred' }) policy!: FeePolicy;
  @Matches(/^[A-Z0-9 .,/-]{1,27}$/, { message: 'bookingText: at most 27 upper-case letters, digits, space . , / -' }) bookingText!: string;
  /** When the version takes effect (default: now). */
  @IsOptional() @IsISO8601({ strict: true }) validFrom?: string;
}

@Controller('v1/admin/fees')
export class FeesController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly changeFee: ChangeFeeUseCase,
    private readonly fees: FeeScheduleRepository,
  ) {}

  /** Adds a version of the fee for a service (LeiKa) and region prefix (2, 3, 5, 9 or 12 ARS digits). */
  @Permission('config:write')
  @Put(':leikaKey/:arsPrefix')
  async upsert(
    @Param('leikaKey') leikaKey: string,
    @Param('arsPrefix') arsPrefix: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal | undefined,
  ) {
    const errors = [
      ...(LEIKA_KEY.test(leikaKey) ? [] : [{ field: 'leikaKey', message: 'must be 14 digits starting with 99' }]),
      ...(/^(\d{2}|\d{3}|\d{5}|\d{9}|\d{12})$/.test(arsPrefix)
        ? []
        : [{ field: 'arsPrefix', message: 'must have 2, 3, 5, 9 or 12 digits' }]),
    ];
    if (errors.length > 0) throw new PaymentException(PaymentErrorCode.InvalidFeeKey, 'invalid fee key', { errors });
    const req = validateContract(UpsertFeeRequest, body);
    return this.changeFee.execute(principal, {
      leikaKey,
      arsPrefix,
      amount: req.amount,
      policy: canonicalPolicy(req.policy),
      bookingText: req.bookingText,
      validFrom: req.validFrom ?? new Date().toISOString(),
    });
  }

  /** Every version of the fee schedule within the caller's tenants. */
  @Permission('config:read')
  @Get()
  list(@CurrentPrincipal() principal: Principal | undefined) {
    return this.fees.list(this.dataSource.manager, tenantPrefixes(principal));
  }

  /** Who changed which fee when, within the caller's tenants. */
  @Permission('config:read')
  @Get('audit')
  audit(@CurrentPrincipal() principal: Principal | undefined) {
    return this.fees.audit(this.dataSource.manager, tenantPrefixes(principal));
  }
}
