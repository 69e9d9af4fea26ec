import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { IsIBAN, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { ARS, validateContract } from '@poststelle/contracts';
import { CurrentPrincipal, Permission, type Principal } from '@poststelle/platform';
import { PaymentErrorCode, PaymentException } from '../domain/payment.exception';
import { actsFor, tenantPrefixes } from '../domain/tenant-scope';
import { PayeeRepository } from './payee.repository';

export class PayeeRequest {
  @IsString() @IsNotEmpty() @MaxLength(120) authorityName!: string;
  @IsString() @IsNotEmpty() @MaxLength(70) accountHolder!: string;
  @IsIBAN({ message: 'iban must be a valid IBAN (ISO 13616 check digits), capitals without spaces' })
  @Matches(/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/, { message: 'iban must be written in capitals without spaces' })
  iban!: string;
  @IsOptional() @Matches(/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/, { message: 'bic must be 8 or 11 characters (ISO 9362)' }) bic?: string;
  @IsOptional() @IsInt() @Min(1) @Max(365) paymentDays?: number;
}

/** The account a tenant's fee notices ask citizens to pay into; a tenant-admin sets it for its own tenant (audited). */
@Controller('v1/admin/payment-payee')
export class PayeeController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly payees: PayeeRepository,
  ) {}

  @Permission('config:write')
  @Put(':tenantArs')
  async set(@Param('tenantArs') tenantArs: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    if (!ARS.test(tenantArs)) throw new PaymentException(PaymentErrorCode.InvalidPayee, 'tenantArs must be a 12-digit ARS');
    if (!actsFor(principal, tenantArs))
      throw new PaymentException(PaymentErrorCode.TenantNotPermitted, `you do not act for tenant ${tenantArs}`);
    const req = validateContract(PayeeRequest, body);
    const payee = {
      tenantArs,
      authorityName: req.authorityName,
      accountHolder: req.accountHolder,
      iban: req.iban,
      bic: req.bic ?? null,
      paymentDays: req.paymentDays ?? 14,
    };
    await this.dataSource.transaction((m) => this.payees.set(m, payee, principal?.subject ?? 'unknown'));
    return payee;
  }

  /** Who changed which payee when (old and new account), within the caller's tenants. */
  @Permission('config:read')
  @Get('audit')
  audit(@CurrentPrincipal() principal: Principal | undefined) {
    return this.payees.audit(this.dataSource.manager, tenantPrefixes(principal));
  }

  @Permission('config:read')
  @Get(':tenantArs')
  async get(@Param('tenantArs') tenantArs: string, @CurrentPrincipal() principal: Principal | undefined) {
    const payee =
      ARS.test(tenantArs) && actsFor(principal, tenantArs) ? await this.payees.get(this.dataSource.manager, tenantArs) : undefined;
    if (!payee) throw new PaymentException(PaymentErrorCode.PayeeNotFound, `no payee registered for tenant ${tenantArs}`);
    return payee;
  }
}
