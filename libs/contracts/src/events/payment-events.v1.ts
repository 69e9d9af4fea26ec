import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';
import { ARS, LEIKA_KEY } from '../identifiers';
import { DECIMAL_AMOUNT, PAYMENT_METHODS, PostalAddressDto } from '../case/common.dto';

export const FEE_EVENT_TYPES = ['fee.due', 'fee.not-required'] as const;

/**
 * Who is billed, carried on `fee.due` only when the fee is billed by invoice (payment method `INVOICE`, or a legal
 * person that has not chosen a payment method): erechnung needs it for the buyer of the XRechnung (BT-44..BT-55).
 */
export class FeePayerV1 {
  @IsIn(['natural', 'legal']) kind!: 'natural' | 'legal';
  /** The organisation for a legal person, else given and family name. */
  @IsString() @IsNotEmpty() @MaxLength(300) name!: string;
  /** The buyer's electronic address (BT-49): the applicant's email, else the email reply channel. */
  @IsOptional() @IsEmail() email?: string;
  @IsOptional() @ValidateNested() @Type(() => PostalAddressDto) address?: PostalAddressDto;
  /** The applicant's own reference (the case's `senderReference`), a Leitweg-ID for an authority: BT-10. */
  @IsOptional() @IsString() @MaxLength(200) reference?: string;
}

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
  /** Only on `fee.due` billed by invoice; absent in events from before it existed. */
  @IsOptional() @ValidateNested() @Type(() => FeePayerV1) payer?: FeePayerV1;
  @IsISO8601() recordedAt!: string;
}
