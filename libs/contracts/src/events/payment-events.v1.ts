import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { ARS, LEIKA_KEY } from '../identifiers';
import { DECIMAL_AMOUNT, PAYMENT_METHODS } from '../case/common.dto';

export const FEE_EVENT_TYPES = ['fee.due', 'fee.not-required'] as const;

/** `payments.events.v1`: what a case owes. One `fee.due` or `fee.not-required` per case. */
export class FeeEventV1 {
  @IsIn(FEE_EVENT_TYPES) kind!: (typeof FEE_EVENT_TYPES)[number];
  @IsUUID('4') caseId!: string;
  @IsUUID('4') feeId!: string;
  @Matches(ARS) tenantArs!: string;
  @Matches(LEIKA_KEY) leikaKey!: string;
  @Matches(DECIMAL_AMOUNT) amount!: string;
  @IsIn(['EUR']) currency!: 'EUR';
  /** Kassenzeichen: must appear in the remittance text of a transfer. */
  @IsOptional() @IsString() @MaxLength(36) kassenzeichen?: string;
  /** Booking text, upper case, at most 27 characters (XBezahldienste). */
  @IsOptional() @Matches(/^[A-Z0-9 .,/-]{1,27}$/) bookingText?: string;
  @IsOptional() @IsIn(PAYMENT_METHODS) paymentMethod?: (typeof PAYMENT_METHODS)[number];
  @IsIn(['none', 'optional', 'before-processing', 'deferred']) policy!: 'none' | 'optional' | 'before-processing' | 'deferred';
  @IsISO8601() recordedAt!: string;
}
