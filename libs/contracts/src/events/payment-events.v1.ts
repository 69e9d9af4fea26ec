import { Type } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  Min,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { ARS, LEIKA_KEY } from '../identifiers';

import { DECIMAL_AMOUNT, PAYMENT_METHODS, PostalAddressDto } from '../case/common.dto';

/** A decimal amount with up to five fraction digits (bank statements). */
const DECIMAL_AMOUNT_5 = /^\d{1,12}\.\d{2,5}$/;

/** Payment policy per service: `mandatory-before-processing` holds the case until the payment is BOOKED. */
export const FEE_POLICIES = ['none', 'optional', 'mandatory-before-processing', 'deferred', 'before-processing'] as const;
export type FeePolicy = (typeof FEE_POLICIES)[number];

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
  /** `before-processing` is the former name of `mandatory-before-processing` (events from before the rename). */
  @IsIn(FEE_POLICIES) policy!: FeePolicy;
  /** Only on `fee.due` billed by invoice; absent in events from before it existed. */
  @IsOptional() @ValidateNested() @Type(() => FeePayerV1) payer?: FeePayerV1;
  @IsISO8601() recordedAt!: string;
}

export const PAYMENT_LIFECYCLE_STATUSES = [
  'INITIAL',
  'BOOKED',
  'FAILED',
  'CANCELED',
  'RETURNED',
  'REFUNDED',
  'PARTIALLY_PAID',
  'OVERPAID',
] as const;
export type PaymentStatusV1 = (typeof PAYMENT_LIFECYCLE_STATUSES)[number];

/**
 * `payments.events.v1`, type `payment.status-changed`: every transition of a payment (key: case id). `source` says
 * who reported it: `provider`, `statement:<importId>/<position>`, `clerk:<subject>`.
 */
export class PaymentStatusChangedV1 {
  @IsUUID('4') paymentId!: string;
  @IsUUID('4') caseId!: string;
  @Matches(ARS) tenantArs!: string;
  @IsString() @MaxLength(36) kassenzeichen!: string;
  @IsIn(FEE_POLICIES) policy!: FeePolicy;
  @IsOptional() @IsIn(PAYMENT_LIFECYCLE_STATUSES) previousStatus?: PaymentStatusV1;
  @IsIn(PAYMENT_LIFECYCLE_STATUSES) status!: PaymentStatusV1;
  @Matches(DECIMAL_AMOUNT_5) amountDue!: string;
  @Matches(DECIMAL_AMOUNT_5) amountPaid!: string;
  @IsIn(['EUR']) currency!: 'EUR';
  @IsString() @MaxLength(500) reason!: string;
  /** ISO 20022 return reason (e.g. AC06, MS03) when the bank returned the money. */
  @IsOptional() @Matches(/^[A-Z0-9]{4}$/) returnReasonCode?: string;
  @IsString() @MaxLength(200) source!: string;
  @IsISO8601() changedAt!: string;
}

/** `payments.fee-schedule.v1`: a new version of a fee schedule entry (key: `<leikaKey>:<arsPrefix>`). */
export class FeeScheduleChangedV1 {
  @Matches(LEIKA_KEY) leikaKey!: string;
  @Matches(/^(\d{2}|\d{3}|\d{5}|\d{9}|\d{12})$/) arsPrefix!: string;
  @IsInt() @Min(1) version!: number;
  @Matches(DECIMAL_AMOUNT) amount!: string;
  @IsIn(FEE_POLICIES) policy!: FeePolicy;
  @IsISO8601() validFrom!: string;
}
