import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { IsEmail, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { ARS, validateContract } from '@poststelle/contracts';
import { ServiceException, Permission } from '@poststelle/platform';
import { ISSUER_COLUMNS } from './issue-fee-invoice.use-case';
import { type InvoiceIssuer } from './fee-invoice-model';

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

@Controller('v1/admin/invoice-issuers')
export class InvoiceIssuersController {
  constructor(private readonly dataSource: DataSource) {}

  @Permission('config:write')
  @Put(':tenantArs')
  async upsert(@Param('tenantArs') tenantArs: string, @Body() body: unknown): Promise<InvoiceIssuer> {
    if (!ARS.test(tenantArs)) throw new ServiceException('INVALID_ARS', 422, 'tenantArs must be a 12-digit ARS');
    const req = validateContract(UpsertIssuerRequest, body);
    if (!ibanValid(req.iban)) {
      throw new ServiceException('INVALID_IBAN', 422, 'the IBAN check digits are wrong', {
        errors: [{ field: 'iban', message: 'ISO 13616 check failed' }],
      });
    }
    const [row] = await this.dataSource.query<InvoiceIssuer[]>(
      `INSERT INTO erechnung.invoice_issuers (tenant_ars, name, seller_identifier, street, postal_code, city, country, electronic_address,
         contact_name, contact_phone, contact_email, iban, bic, account_name, vat_id, payment_days, number_prefix)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
       ON CONFLICT (tenant_ars) DO UPDATE SET name = $2, seller_identifier = $3, street = $4, postal_code = $5, city = $6, country = $7,
         electronic_address = $8, contact_name = $9, contact_phone = $10, contact_email = $11, iban = $12, bic = $13, account_name = $14,
         vat_id = $15, payment_days = $16, number_prefix = $17, updated_at = now()
       RETURNING ${ISSUER_COLUMNS}`,
      [
        tenantArs,
        req.name,
        req.sellerIdentifier,
        req.street ?? null,
        req.postalCode,
        req.city,
        req.country,
        req.electronicAddress,
        req.contactName,
        req.contactPhone,
        req.contactEmail,
        req.iban,
        req.bic ?? null,
        req.accountName ?? null,
        req.vatId ?? null,
        req.paymentDays ?? 30,
        req.numberPrefix ?? 'RE-',
      ],
    );
    if (!row) throw new ServiceException('ISSUER_NOT_STORED', 500, 'the issuer was not stored');
    return row;
  }

  @Permission('config:read')
  @Get(':tenantArs')
  async get(@Param('tenantArs') tenantArs: string): Promise<InvoiceIssuer> {
    const [row] = await this.dataSource.query<InvoiceIssuer[]>(
      `SELECT ${ISSUER_COLUMNS} FROM erechnung.invoice_issuers WHERE tenant_ars = $1`,
      [tenantArs],
    );
    if (!row) throw new ServiceException('ISSUER_NOT_FOUND', 404, `no invoice issuer for tenant ${tenantArs}`);
    return row;
  }
}
