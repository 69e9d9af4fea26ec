import { IsIn, IsISO8601, IsUUID, Matches } from 'class-validator';
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
