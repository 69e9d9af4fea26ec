import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsISO8601,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { DECIMAL_AMOUNT, SHA512_HEX } from '../case/common.dto';
import { ARS } from '../identifiers';

/** `invoices.events.v1` / type `invoice.fee-recorded`: a fee erechnung will bill by invoice. */
export class InvoiceFeeRecordedV1 {
  @IsUUID('4') caseId!: string;
  @IsUUID('4') feeId!: string;
  @IsUUID('4') invoiceCandidateId!: string;
  @Matches(ARS) tenantArs!: string;
  @Matches(DECIMAL_AMOUNT) amount!: string;
  @IsIn(['EUR']) currency!: 'EUR';
  /** How the fee will be settled: by invoice (XRechnung), online payment, or not chosen by the applicant yet. */
  @IsIn(['invoice', 'online-payment', 'not-chosen']) billing!: 'invoice' | 'online-payment' | 'not-chosen';
  @IsISO8601() recordedAt!: string;
}

/**
 * `invoices.events.v1` / type `invoice.received`: an inbound e-invoice passed validation and its Leitweg-ID (BT-10)
 * resolved to an authority's accounting destination. Key: invoice id.
 */
export class InboundInvoiceReceivedV1 {
  @IsUUID('4') invoiceId!: string;
  @IsString() @MaxLength(50) leitwegId!: string;
  @Matches(ARS) tenantArs!: string;
  @IsString() @MaxLength(300) destination!: string;
  @IsIn(['ubl-invoice', 'ubl-creditnote', 'cii']) syntax!: 'ubl-invoice' | 'ubl-creditnote' | 'cii';
  @IsOptional() @IsString() @MaxLength(200) invoiceNumber?: string;
  @IsOptional() @IsString() @MaxLength(20) issueDate?: string;
  /** BT-115 as written in the invoice (decimal string). */
  @IsOptional() @IsString() @MaxLength(40) payableAmount?: string;
  @IsOptional() @IsString() @MaxLength(3) currency?: string;
  @Matches(/^[a-f0-9]{64}$/) documentSha256!: string;
  /** Set when the same seller already sent an invoice with this number and date. */
  @IsOptional() @IsUUID('4') duplicateOf?: string;
  @IsISO8601() receivedAt!: string;
}

/** One rendering of an issued outbound invoice. */
export class OutboundInvoiceDocumentV1 {
  /** `ubl` = UBL 2.1 Invoice, `cii` = UN/CEFACT CII D16B; both XRechnung 3.0. */
  @IsIn(['ubl', 'cii']) format!: 'ubl' | 'cii';
  @Matches(SHA512_HEX) sha512!: string;
}

/**
 * `invoices.events.v1` / type `invoice.issued`: erechnung issued an XRechnung invoice for a fee billed by invoice.
 * It passed the validation engine (zero errors) in both syntaxes. Key: case id.
 */
export class OutboundInvoiceIssuedV1 {
  @IsUUID('4') invoiceId!: string;
  @IsUUID('4') caseId!: string;
  @IsUUID('4') feeId!: string;
  @Matches(ARS) tenantArs!: string;
  /** BT-1, e.g. `RE-000042`. */
  @IsString() @MaxLength(50) invoiceNumber!: string;
  /** The tenant's gap-free running number behind BT-1 (1, 2, 3, ...). */
  @IsInt() @Min(1) sequence!: number;
  @Matches(/^\d{4}-\d{2}-\d{2}$/) issueDate!: string;
  @Matches(/^\d{4}-\d{2}-\d{2}$/) dueDate!: string;
  /** BT-115. */
  @Matches(DECIMAL_AMOUNT) payableAmount!: string;
  @IsIn(['EUR']) currency!: 'EUR';
  /** BT-83 remittance information. */
  @IsString() @MaxLength(36) kassenzeichen!: string;
  @IsIn(['O', 'S']) vatCategory!: 'O' | 'S';
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2)
  @ValidateNested({ each: true })
  @Type(() => OutboundInvoiceDocumentV1)
  documents!: OutboundInvoiceDocumentV1[];
  @IsISO8601() issuedAt!: string;
}
