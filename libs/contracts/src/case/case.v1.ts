import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsISO8601,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ARS, LEIKA_KEY, LEIKA_URN } from '../identifiers';
import { ChannelDto } from './channel.dto';
import {
  ApplicantDto,
  AttachmentRefDto,
  FormDataDto,
  IdentificationReportDto,
  LEVELS_OF_ASSURANCE,
  type LevelOfAssurance,
  PaymentInformationDto,
  ReplyChannelDto,
  WrittenFormEvidenceDto,
} from './common.dto';

export class TenantDto {
  /** The responsible authority's region as a 12-digit ARS (e.g. 120605003154). */
  @Matches(ARS, { message: 'ars must be a 12-digit Amtlicher Regionalschlüssel' }) ars!: string;
}

export class ServiceDto {
  @Matches(LEIKA_KEY, { message: 'leikaKey must be 14 digits starting with 99' }) leikaKey!: string;
  /** `urn:de:fim:leika:leistung:<leikaKey>` (FIT-Connect `publicServiceType.identifier`). */
  @Matches(LEIKA_URN, { message: 'identifier must be urn:de:fim:leika:leistung:<14-digit LeiKa key>' }) identifier!: string;
  @IsOptional() @IsString() @MaxLength(300) name?: string;
}

export const LIFE_EVENTS = ['birth', 'moving', 'marriage', 'death', 'business-start'] as const;
export type LifeEvent = (typeof LIFE_EVENTS)[number];

/** Links the sub-cases of one life-event application (Lebenslage), e.g. birth → certificate, child benefit, parental allowance. */
export class BundleRefDto {
  @IsUUID('4') bundleId!: string;
  @IsIn(LIFE_EVENTS) lifeEvent!: LifeEvent;
  /** Number of sub-cases in the bundle and this one's position (1-based). */
  @IsInt() @Min(1) @Max(20) size!: number;
  @IsInt() @Min(1) @Max(20) position!: number;
}

/**
 * Canonical case model v1: what every channel produces and every consumer reads.
 * Field meanings follow FIT-Connect metadata 1.0.0 so a FIT-Connect submission maps without loss
 * (see docs/canonical-model.md for the field-by-field mapping).
 */
export class CaseV1 {
  @IsUUID('4') caseId!: string;
  @IsUUID('4') submissionId!: string;
  @IsDefined() @ValidateNested() @Type(() => TenantDto) tenant!: TenantDto;
  @IsDefined() @ValidateNested() @Type(() => ServiceDto) service!: ServiceDto;
  @IsDefined() @ValidateNested() @Type(() => ChannelDto) channel!: ChannelDto;
  @IsDefined() @ValidateNested() @Type(() => ApplicantDto) applicant!: ApplicantDto;
  @IsDefined() @ValidateNested() @Type(() => FormDataDto) formData!: FormDataDto;
  @IsArray() @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => AttachmentRefDto) attachments!: AttachmentRefDto[];
  @IsIn(LEVELS_OF_ASSURANCE) levelOfAssurance!: LevelOfAssurance;
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => IdentificationReportDto)
  authenticationInformation!: IdentificationReportDto[];
  @IsDefined() @ValidateNested() @Type(() => WrittenFormEvidenceDto) writtenForm!: WrittenFormEvidenceDto;
  @IsOptional() @ValidateNested() @Type(() => PaymentInformationDto) paymentInformation?: PaymentInformationDto;
  @IsDefined() @ValidateNested() @Type(() => ReplyChannelDto) replyChannel!: ReplyChannelDto;
  @IsOptional() @IsString() @MaxLength(200) senderReference?: string;
  @IsOptional() @IsISO8601({ strict: true }) applicationDate?: string;
  @IsISO8601() receivedAt!: string;
  /**
   * An earlier case of the same applicant for the same service at the same authority, from any channel, within the
   * duplicate window: the later case is linked and flagged for the clerk, never merged.
   */
  @IsOptional() @IsUUID('4') possibleDuplicateOf?: string;
  /** Set when the case is one of several from one life-event application. */
  @IsOptional() @ValidateNested() @Type(() => BundleRefDto) bundle?: BundleRefDto;
}
