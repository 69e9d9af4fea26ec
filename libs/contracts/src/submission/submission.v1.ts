import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBase64,
  IsDefined,
  IsISO8601,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { LEIKA_URN } from '../identifiers';
import { LIFE_EVENTS, type LifeEvent, TenantDto } from '../case/case.v1';
import { ChannelDto } from '../case/channel.dto';
import {
  ApplicantDto,
  ATTACHMENT_PURPOSES,
  IdentificationReportDto,
  LEVELS_OF_ASSURANCE,
  type LevelOfAssurance,
  PaymentInformationDto,
  ReplyChannelDto,
  SHA512_HEX,
} from '../case/common.dto';

/** FIT-Connect `publicServiceType`: the LeiKa URN of the service applied for. */
export class PublicServiceTypeDto {
  @Matches(LEIKA_URN, { message: 'identifier must be urn:de:fim:leika:leistung:<14-digit LeiKa key starting with 99>' })
  identifier!: string;
  @IsOptional() @IsString() @MaxLength(300) name?: string;
}

export class SubmittedFormDataDto {
  @IsString() @IsNotEmpty() @MaxLength(500) schemaUri!: string;
  @IsIn(['application/json']) mimeType!: 'application/json';
  @IsObject() content!: Record<string, unknown>;
}

/** An attachment in a submission: inline (base64) or already in the blob store (channel adapters). */
export class SubmittedAttachmentDto {
  @IsString() @IsNotEmpty() @MaxLength(100) attachmentId!: string;
  @IsString() @IsNotEmpty() @MaxLength(255) fileName!: string;
  @Matches(/^[-\w.]+\/[-\w.+]+$/, { message: 'mediaType must be a MIME type such as application/pdf' }) mediaType!: string;
  @IsIn(ATTACHMENT_PURPOSES) purpose!: (typeof ATTACHMENT_PURPOSES)[number];
  @ValidateIf((o: SubmittedAttachmentDto) => o.sha512 === undefined || o.contentBase64 !== undefined)
  @IsDefined({ message: 'either contentBase64 or sha512 (of a blob already stored) is required' })
  @IsBase64()
  contentBase64?: string;
  @IsOptional() @Matches(SHA512_HEX) sha512?: string;
}

export class AdditionalReferenceInfoDto {
  @IsOptional() @IsString() @MaxLength(200) senderReference?: string;
  @IsOptional() @IsISO8601({ strict: true }) applicationDate?: string;
}

/** What the applicant states once, whatever they apply for: the authority, the channel, who, how identified, how to reply. */
class ApplicationContext {
  @IsDefined() @ValidateNested() @Type(() => TenantDto) tenant!: TenantDto;
  @IsDefined() @ValidateNested() @Type(() => ChannelDto) channel!: ChannelDto;
  @IsDefined() @ValidateNested() @Type(() => ApplicantDto) applicant!: ApplicantDto;
  @IsOptional() @IsIn(LEVELS_OF_ASSURANCE) levelOfAssurance?: LevelOfAssurance;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => IdentificationReportDto)
  authenticationInformation?: IdentificationReportDto[];
  @IsDefined() @ValidateNested() @Type(() => ReplyChannelDto) replyChannel!: ReplyChannelDto;
  @IsOptional() @ValidateNested() @Type(() => AdditionalReferenceInfoDto) additionalReferenceInfo?: AdditionalReferenceInfoDto;
}

/** One service applied for: which, with its form data and attachments. */
export class BundleApplicationDto {
  @IsDefined() @ValidateNested() @Type(() => PublicServiceTypeDto) publicServiceType!: PublicServiceTypeDto;
  @IsDefined() @ValidateNested() @Type(() => SubmittedFormDataDto) formData!: SubmittedFormDataDto;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => SubmittedAttachmentDto)
  attachments?: SubmittedAttachmentDto[];
}

/**
 * What a channel submits (HTTP `POST /v1/submissions` or Kafka `intake.submissions.v1`). Intake validates it here,
 * once, stores it verbatim, and turns it into a {@link CaseV1}.
 */
export class SubmissionV1 extends ApplicationContext {
  @IsDefined() @ValidateNested() @Type(() => PublicServiceTypeDto) publicServiceType!: PublicServiceTypeDto;
  @IsDefined() @ValidateNested() @Type(() => SubmittedFormDataDto) formData!: SubmittedFormDataDto;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => SubmittedAttachmentDto)
  attachments?: SubmittedAttachmentDto[];
  @IsOptional() @ValidateNested() @Type(() => PaymentInformationDto) paymentInformation?: PaymentInformationDto;
}

/**
 * A life-event application (Lebenslage), e.g. birth: what the applicant enters once (who, where, how to reply)
 * plus one application per service. Intake fans it out into linked sub-cases sharing one bundle id.
 */
export class BundleSubmissionV1 extends ApplicationContext {
  @IsIn(LIFE_EVENTS) lifeEvent!: LifeEvent;
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => BundleApplicationDto)
  applications!: BundleApplicationDto[];
}

/** Envelope payload on `intake.submissions.v1`: the submission plus the adapter's idempotency key. */
export class SubmissionSubmittedV1 {
  @IsString() @IsNotEmpty() @MaxLength(200) idempotencyKey!: string;
  @IsDefined() @ValidateNested() @Type(() => SubmissionV1) submission!: SubmissionV1;
}
