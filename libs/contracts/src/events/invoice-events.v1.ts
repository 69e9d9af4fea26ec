import { IsISO8601, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { DECIMAL_AMOUNT } from '../case/common.dto';
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
