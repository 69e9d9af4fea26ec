import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';

export const SHA512_HEX = /^[a-f0-9]{128}$/;

/** The decorated property and `other` are mutually exclusive: at most one of them may be set. */
function IsAbsentWith(other: string, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isAbsentWith',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [other],
      options: { message: (a: ValidationArguments) => `${a.property} and ${other} are mutually exclusive`, ...options },
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          value === undefined || (args.object as Record<string, unknown>)[other] === undefined,
      },
    });
}
/** Decimal amount as a string (never a float): up to 2 fraction digits, e.g. "25.00". */
export const DECIMAL_AMOUNT = /^\d{1,12}(\.\d{1,2})?$/;

/** eIDAS level of assurance; `none` = BundID with username/password (no eIDAS level). */
export const LEVELS_OF_ASSURANCE = ['none', 'low', 'substantial', 'high'] as const;
export type LevelOfAssurance = (typeof LEVELS_OF_ASSURANCE)[number];

export const PAYMENT_METHODS = ['GIROPAY', 'PAYDIRECT', 'CREDITCARD', 'PAYPAL', 'INVOICE', 'OTHER'] as const;
export const PAYMENT_STATUSES = ['INITIAL', 'BOOKED', 'FAILED', 'CANCELED'] as const;
export const ATTACHMENT_PURPOSES = ['form', 'attachment', 'report'] as const;

export class PostalAddressDto {
  @IsOptional() @IsString() @MaxLength(200) street?: string;
  @IsOptional() @IsString() @MaxLength(20) houseNumber?: string;
  @IsString() @Matches(/^[0-9A-Za-z -]{3,10}$/, { message: 'postalCode must be 3-10 letters, digits or spaces' }) postalCode!: string;
  @IsString() @IsNotEmpty() @MaxLength(200) city!: string;
  @IsOptional() @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code' }) country?: string;
}

export class ApplicantDto {
  @IsIn(['natural', 'legal']) kind!: 'natural' | 'legal';
  @IsOptional() @IsString() @MaxLength(200) givenName?: string;
  @IsOptional() @IsString() @MaxLength(200) familyName?: string;
  /** Legal persons: the organisation's name. */
  @IsOptional() @IsString() @MaxLength(300) organisation?: string;
  @IsOptional() @IsISO8601({ strict: true }) dateOfBirth?: string;
  @IsOptional() @IsEmail() email?: string;
  @IsOptional() @ValidateNested() @Type(() => PostalAddressDto) address?: PostalAddressDto;
}

/** FIT-Connect `paymentInformation`; `grossAmount` is a decimal string, never a float. */
export class PaymentInformationDto {
  /** Kassenzeichen: the authority's payment reference. */
  @IsString() @IsNotEmpty() @MaxLength(36) transactionReference!: string;
  @IsString() @Matches(/^[\w-]+$/) @MaxLength(100) transactionId!: string;
  @IsOptional() @IsString() @MaxLength(2000) transactionUrl?: string;
  @IsOptional() @IsISO8601() transactionTimestamp?: string;
  @IsIn(PAYMENT_METHODS) paymentMethod!: (typeof PAYMENT_METHODS)[number];
  @IsOptional() @IsString() @Matches(/^[\w-]+$/) @MaxLength(100) paymentMethodDetail?: string;
  @IsIn(PAYMENT_STATUSES) status!: (typeof PAYMENT_STATUSES)[number];
  @Matches(DECIMAL_AMOUNT, { message: 'grossAmount must be a decimal string such as "25.00"' }) grossAmount!: string;
}

/** An armoured OpenPGP public key with a few user ids and signatures fits comfortably. */
export const PGP_PUBLIC_KEY_MAX_LENGTH = 32 * 1024;

export class EMailReplyDto {
  @IsEmail() address!: string;
  /** Armoured OpenPGP public key; bounded so a case message never carries unbounded user content. */
  @IsOptional() @IsString() @MaxLength(PGP_PUBLIC_KEY_MAX_LENGTH) pgpPublicKey?: string;
}
export class DeMailReplyDto {
  @IsEmail() address!: string;
}
export class FinkReplyDto {
  @IsString() @Matches(/^[-._a-z0-9~/]*$/) finkPostfachRef!: string;
  @IsOptional() @IsString() @MaxLength(253) host?: string;
}
export class ElsterReplyDto {
  @Matches(/^\d{10}$/, { message: 'accountId must be 10 digits' }) accountId!: string;
  @IsOptional() @IsString() @MaxLength(200) lieferTicket?: string;
  @IsOptional() @IsString() @MaxLength(200) geschaeftszeichen?: string;
}

/**
 * A letter by post (Poststelle extension, not in FIT-Connect): the recipient as printed on the envelope. Paper
 * applicants without an e-mail address get their notifications this way (print-and-mail service).
 */
export class PostalReplyDto {
  @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @IsDefined() @ValidateNested() @Type(() => PostalAddressDto) address!: PostalAddressDto;
}

/** Every reply channel a case can carry, in the order intake reports them. */
export const REPLY_CHANNEL_KINDS = ['eMail', 'deMail', 'fink', 'elster', 'postal'] as const;
export type ReplyChannelKind = (typeof REPLY_CHANNEL_KINDS)[number];

/**
 * FIT-Connect `replyChannel` plus `postal`: exactly one must be set (checked by intake with `replyChannelKinds`).
 */
export class ReplyChannelDto {
  @IsOptional() @ValidateNested() @Type(() => EMailReplyDto) eMail?: EMailReplyDto;
  @IsOptional() @ValidateNested() @Type(() => DeMailReplyDto) deMail?: DeMailReplyDto;
  @IsOptional() @ValidateNested() @Type(() => FinkReplyDto) fink?: FinkReplyDto;
  @IsOptional() @ValidateNested() @Type(() => ElsterReplyDto) elster?: ElsterReplyDto;
  @IsOptional() @ValidateNested() @Type(() => PostalReplyDto) postal?: PostalReplyDto;
}

export function replyChannelKinds(reply: ReplyChannelDto): ReplyChannelKind[] {
  return REPLY_CHANNEL_KINDS.filter((k) => reply[k] !== undefined);
}

/** FIT-Connect `authenticationInformation` entry (identification report, kept verbatim). */
export class IdentificationReportDto {
  @IsIn(['identificationReport']) type!: 'identificationReport';
  @Matches(/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/) version!: string;
  @Matches(/^[a-zA-Z0-9_\-.]+$/) @MaxLength(100_000) content!: string;
}

/** An attachment held in the blob store (claim check): Kafka carries the reference, never the bytes. */
export class AttachmentRefDto {
  @IsString() @IsNotEmpty() @MaxLength(100) attachmentId!: string;
  @IsString() @IsNotEmpty() @MaxLength(255) fileName!: string;
  @Matches(/^[-\w.]+\/[-\w.+]+$/, { message: 'mediaType must be a MIME type such as application/pdf' }) mediaType!: string;
  @IsInt() @Min(0) @Max(10 * 1024 * 1024 * 1024) sizeBytes!: number;
  @Matches(SHA512_HEX, { message: 'sha512 must be 128 lower-case hex digits' }) sha512!: string;
  @IsIn(ATTACHMENT_PURPOSES) purpose!: (typeof ATTACHMENT_PURPOSES)[number];
  /** Where the bytes are: `blob:sha512:<hash>`. */
  @Matches(/^blob:sha512:[a-f0-9]{128}$/) blobRef!: string;
}

/** Where a blob is: `blob:sha512:<hash>` (claim check). */
export const BLOB_REF = /^blob:sha512:[a-f0-9]{128}$/;

/**
 * Form data held in the blob store (claim check): reference, hash and size; the bytes are the form data's JSON
 * serialisation (UTF-8), so `sha512` equals {@link FormDataDto.sha512}. Readers verify the hash before use.
 */
export class FormDataRefDto {
  /** `blob:sha512:<sha512>`. */
  @Matches(BLOB_REF, { message: 'blobRef must be blob:sha512:<128 hex digits>' }) blobRef!: string;
  @Matches(SHA512_HEX, { message: 'sha512 must be 128 lower-case hex digits' }) sha512!: string;
  @IsInt() @Min(0) @Max(10 * 1024 * 1024 * 1024) sizeBytes!: number;
}

/** Default bound (bytes of the JSON serialisation) up to which intake keeps JSON form data inline in a case. */
export const FORM_DATA_INLINE_MAX_BYTES_DEFAULT = 64 * 1024;

export class FormDataDto {
  /** FIT-Connect `submissionSchema.schemaUri`. */
  @IsString() @IsNotEmpty() @MaxLength(500) schemaUri!: string;
  @IsIn(['application/json', 'application/xml']) mimeType!: 'application/json' | 'application/xml';
  /** sha512 of the form data as intake received it (its JSON serialisation, UTF-8). */
  @Matches(SHA512_HEX) sha512!: string;
  /**
   * JSON form data inline, only when small (intake: up to `FORM_DATA_INLINE_MAX_BYTES` of its serialisation); else
   * `contentRef`. A JSON form has exactly one of the two; XML form data is held as an attachment (neither).
   */
  @ValidateIf((o: FormDataDto) => o.content !== undefined || (o.mimeType === 'application/json' && o.contentRef === undefined))
  @IsDefined({ message: 'JSON form data needs content (inline) or contentRef (in the blob store)' })
  @IsObject({ message: 'content must be a JSON object' })
  @IsAbsentWith('contentRef')
  content?: Record<string, unknown>;
  /** Form data too large to travel inline: it is in the blob store. Absent on cases from before the claim check. */
  @IsOptional() @ValidateNested() @Type(() => FormDataRefDto) contentRef?: FormDataRefDto;
}

/** The form content travels either inline or by reference: `true` when it is in the blob store. */
export function isFormDataReferenced(formData: FormDataDto): formData is FormDataDto & { contentRef: FormDataRefDto } {
  return formData.contentRef !== undefined;
}

export class WrittenFormEvidenceDto {
  /** How the written form (§ 3a VwVfG) is met, if at all. A plain email never meets it. */
  @IsIn(['none', 'qualified-electronic-signature', 'eid-authority-form', 'safe-mailbox', 'authority-seal', 'handwritten-signature'])
  means!: 'none' | 'qualified-electronic-signature' | 'eid-authority-form' | 'safe-mailbox' | 'authority-seal' | 'handwritten-signature';
  @IsBoolean() satisfied!: boolean;
  @IsOptional() @IsString() @MaxLength(500) detail?: string;
}
