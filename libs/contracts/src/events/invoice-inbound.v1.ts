import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { SHA512_HEX } from '../case/common.dto';
import { ARS } from '../identifiers';

/** The invoice document as a claim check: its bytes are in the shared blob store under this sha512, never in Kafka. */
export class InvoiceDocumentRefV1 {
  @Matches(SHA512_HEX) sha512!: string;
  @IsInt() @Min(1) sizeBytes!: number;
  /** As declared by the sender, made safe (no path parts). */
  @IsString() @MaxLength(255) fileName!: string;
  @IsString() @MaxLength(255) mediaType!: string;
}

export const SENDER_AUTH_RESULTS = ['pass', 'fail', 'none', 'neutral', 'temperror', 'permerror', 'softfail', 'policy'] as const;

/**
 * What intake verified about the sender of an emailed invoice (ADR 0016): the RFC 5322 From address, the DKIM verdict
 * and the signing domains (`d=`) of the signatures that passed. Erechnung answers the From address only when a passing
 * signature is aligned with its domain; never the unauthenticated Reply-To.
 */
export class InvoiceSenderV1 {
  @IsEmail({ require_tld: false }) @MaxLength(254) from!: string;
  @IsIn(SENDER_AUTH_RESULTS) dkim!: (typeof SENDER_AUTH_RESULTS)[number];
  @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(253, { each: true }) dkimDomains!: string[];
}

/** Where an emailed invoice came from and where the answer goes. */
export class InvoiceEmailOriginV1 {
  /** Intake's inbound message (`GET /v1/email/messages/{inboundId}`). */
  @IsUUID('4') inboundId!: string;
  /** The raw RFC 822 message as received, kept by intake (`GET /v1/email/raw/{sha512}`). */
  @Matches(SHA512_HEX) rawMessageSha512!: string;
  /** The invoice mailbox it was sent to. */
  @IsEmail({ require_tld: false }) mailbox!: string;
  /** Reply-To, else From, else the envelope sender; absent when none is a usable address (then nobody is answered). */
  @IsOptional() @IsEmail({ require_tld: false }) replyTo?: string;
  /** The sender's Message-ID, quoted in the reply's In-Reply-To. */
  @IsOptional() @IsString() @MaxLength(998) messageId?: string;
  @IsOptional() @IsString() @MaxLength(998) subject?: string;
  /** The authenticated sender; absent when the From address is not usable (then nobody is answered). */
  @IsOptional() @ValidateNested() @Type(() => InvoiceSenderV1) sender?: InvoiceSenderV1;
}

/**
 * `invoices.inbound.v1` / type `invoice.submitted`: an e-invoice arrived through intake (today: an attachment of an
 * email to an invoice mailbox) and is handed to erechnung, which validates it exactly like `POST /v1/invoices`.
 * One message per invoice document. Key: submission id.
 */
export class InvoiceSubmittedV1 {
  /** Stable per (raw message, attachment): the same email received twice yields the same submission id. */
  @IsUUID('4') submissionId!: string;
  @IsIn(['email']) channel!: 'email';
  /** The tenant of the mailbox the invoice was sent to. */
  @Matches(ARS) tenantArs!: string;
  @IsDefined() @ValidateNested() @Type(() => InvoiceDocumentRefV1) document!: InvoiceDocumentRefV1;
  @IsDefined() @ValidateNested() @Type(() => InvoiceEmailOriginV1) email!: InvoiceEmailOriginV1;
  @IsISO8601() receivedAt!: string;
}
