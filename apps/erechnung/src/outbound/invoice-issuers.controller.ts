import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { IsEmail, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ARS, validateContract } from '@poststelle/contracts';
import { CurrentPrincipal, Permission, tenantScopeOf, type Principal } from '@poststelle/platform';
import { assertOwnTenant } from '../admin/admin-access';
import { ErechnungConfigUseCase } from '../admin/erechnung-config.use-case';
import { ErechnungAdminRepository } from '../admin/erechnung-admin.repository';
import { type InvoiceIssuer } from './fee-invoice-model';
import { ErechnungErrorCode, ErechnungException } from '../erechnung.exception';

/** ISO 13616 IBAN check digits (MOD 97-10), computed on decimal strings in chunks (no 2^53 overflow). */
export function ibanValid(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const digits = (iban.slice(4) + iban.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (let i = 0; i < digits.length; i += 7) rest = Number(`${rest}${digits.slice(i, i + 7)}`) % 97;
  return rest === 1;
}

/** The authority that issues a tenant's fee invoices: the XRechnung seller (BT-27..BT-43) and payee account (BG-17). */
export class UpsertIssuerRequest {
  @IsString() @IsNotEmpty() @MaxLength(300) name!: string;
  /** BT-29, e.g. the authority's own Leitweg-ID or creditor id (needed because fees carry no seller VAT id). */
  @IsString() @IsNotEmpty() @MaxLength(100) sellerIdentifier!: string;
  @IsOptional() @IsString() @MaxLength(200) street?: string;
  @Matches(/^[0-9A-Za-z -]{3,10}$/, { message: 'postalCode must be 3-10 letters, digits or spaces' }) postalCode!: string;
  @IsString() @IsNotEmpty() @MaxLength(200) city!: string;
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code' }) country!: string;
  /** BT-34 (scheme EM): where buyers reply to invoices. */
  @IsEmail() electronicAddress!: string;
  @IsString() @IsNotEmpty() @MaxLength(200) contactName!: string;
  @IsString() @IsNotEmpty() @MaxLength(50) contactPhone!: string;
  @IsEmail() contactEmail!: string;
  @Matches(/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/, { message: 'iban must be an IBAN in capitals without spaces' }) iban!: string;
  @IsOptional() @Matches(/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/, { message: 'bic must be 8 or 11 characters' }) bic?: string;
  @IsOptional() @IsString() @MaxLength(200) accountName?: string;
  /** Kept for fees subject to VAT; fees outside its scope (category O) never show it (BR-O-02). */
  @IsOptional() @Matches(/^[A-Z]{2}[A-Z0-9]{2,13}$/, { message: 'vatId must be a VAT id such as DE123456789' }) vatId?: string;
  @IsOptional() @IsInt() @Min(0) @Max(365) paymentDays?: number;
  /** BT-1 = prefix + 6-digit running number; default `RE-`. */
  @IsOptional() @Matches(/^[A-Za-z0-9-/]{0,20}$/, { message: 'numberPrefix: up to 20 letters, digits, - or /' }) numberPrefix?: string;
}

/**
 * The invoice issuer of a tenant (the IBAN every fee invoice asks citizens to pay into). A tenant admin reads and
 * changes only its tenants' issuers (another tenant's: read 404, change 403 `FOREIGN_TENANT`); every change is
 * audited with the token's subject, old and new values (`GET /v1/admin/invoice-audit-log?entity=invoice-issuer`).
 */
@Controller('v1/admin/invoice-issuers')
export class InvoiceIssuersController {
  constructor(
    private readonly repository: ErechnungAdminRepository,
    private readonly config: ErechnungConfigUseCase,
  ) {}

  @Permission('config:write')
  @Put(':tenantArs')
  upsert(@Param('tenantArs') tenantArs: string, @Body() body: unknown, @CurrentPrincipal() principal?: Principal): Promise<InvoiceIssuer> {
    if (!ARS.test(tenantArs)) throw new ErechnungException(ErechnungErrorCode.InvalidArs, 'tenantArs must be a 12-digit ARS');
    // Before the body is looked at: a foreign tenant is refused whatever the request says.
    assertOwnTenant(tenantScopeOf(principal), tenantArs, 'invoice issuer');
    const req = validateContract(UpsertIssuerRequest, body);
    if (!ibanValid(req.iban)) {
      throw new ErechnungException(ErechnungErrorCode.InvalidIban, 'the IBAN check digits are wrong', {
        errors: [{ field: 'iban', message: 'ISO 13616 check failed' }],
      });
    }
    return this.config.upsertIssuer(
      {
        tenantArs,
        name: req.name,
        sellerIdentifier: req.sellerIdentifier,
        street: req.street ?? null,
        postalCode: req.postalCode,
        city: req.city,
        country: req.country,
        electronicAddress: req.electronicAddress,
        contactName: req.contactName,
        contactPhone: req.contactPhone,
        contactEmail: req.contactEmail,
        iban: req.iban,
        bic: req.bic ?? null,
        accountName: req.accountName ?? null,
        vatId: req.vatId ?? null,
        paymentDays: req.paymentDays ?? 30,
        numberPrefix: req.numberPrefix ?? 'RE-',
      },
      principal,
    );
  }

  @Permission('config:read')
  @Get(':tenantArs')
  async get(@Param('tenantArs') tenantArs: string, @CurrentPrincipal() principal?: Principal): Promise<InvoiceIssuer> {
    const row = await this.repository.readIssuer(tenantArs, tenantScopeOf(principal));
    if (!row) throw new ErechnungException(ErechnungErrorCode.IssuerNotFound, `no invoice issuer for tenant ${tenantArs}`);
    return row;
  }
}
