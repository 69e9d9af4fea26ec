import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { AttachmentRefDto, LEVELS_OF_ASSURANCE, type LevelOfAssurance, PostalReplyDto, WrittenFormEvidenceDto } from '../case/common.dto';
import { CHANNEL_KINDS, EmailEvidenceDto, type ChannelKind } from '../case/channel.dto';

/** Status values as the BundID mailbox knows them (FIT-Connect status messages), plus REJECTED. */
export const CASE_STATUSES = ['RECEIVED', 'PROCESSING', 'ACTION_REQUIRED', 'COMPLETED', 'REJECTED'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/**
 * `procedure.<procedureId>.status.v1` (deprecated: `cases.status.v1`) / type `case.status-changed`: a back office (or
 * routing itself) reports progress on a case. A back office may only report on cases routed to its own procedure, and
 * on its own status topic `procedureId` must be that topic's procedure.
 */
export class CaseStatusChangedV1 {
  @IsUUID('4') caseId!: string;
  @IsString() @IsNotEmpty() procedureId!: string;
  @IsIn(CASE_STATUSES) status!: CaseStatus;
  /** Shown to the applicant; no internal notes. */
  @IsOptional() @IsString() @MaxLength(2000) message?: string;
  @IsOptional() @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => AttachmentRefDto) documents?: AttachmentRefDto[];
  /** Who reported it, e.g. `procedure:parking-potsdam` or `routing`. */
  @IsString() @Matches(/^[a-z0-9:._-]{1,100}$/) reportedBy!: string;
  @IsISO8601() reportedAt!: string;
}

/**
 * `cases.evidence.v1` / type `case.evidence-added`: a follow-up (email, scan, portal) brought new evidence for an
 * existing case, e.g. the signed paper for a case held for the written form.
 */
export class CaseEvidenceAddedV1 {
  @IsUUID('4') caseId!: string;
  @IsIn(CHANNEL_KINDS) channel!: ChannelKind;
  @IsDefined() @ValidateNested() @Type(() => WrittenFormEvidenceDto) writtenForm!: WrittenFormEvidenceDto;
  @IsOptional() @IsIn(LEVELS_OF_ASSURANCE) levelOfAssurance?: LevelOfAssurance;
  @IsOptional() @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => AttachmentRefDto) attachments?: AttachmentRefDto[];
  @IsISO8601() receivedAt!: string;
  /** Email follow-ups: the message's evidence (raw message hash, sender authentication, signature result). */
  @IsOptional() @ValidateNested() @Type(() => EmailEvidenceDto) email?: EmailEvidenceDto;
}

/** `notifications.portal.v1` / type `notification.portal-message`: a message for the applicant's portal mailbox. */
export class PortalMessageV1 {
  @IsUUID('4') notificationId!: string;
  @IsUUID('4') caseId!: string;
  @IsIn(['deMail', 'fink', 'elster']) replyChannel!: 'deMail' | 'fink' | 'elster';
  @IsIn(CASE_STATUSES) status!: CaseStatus;
  @IsString() @MaxLength(200) subject!: string;
  @IsString() @MaxLength(4000) body!: string;
}

/**
 * `notifications.postal.v1` / type `notification.postal-letter`: a letter order for the print-and-mail (hybrid mail)
 * service, for applicants whose reply channel is `postal`. One per status message (`notificationId` is stable).
 */
export class PostalLetterV1 {
  @IsUUID('4') notificationId!: string;
  @IsUUID('4') caseId!: string;
  @IsIn(CASE_STATUSES) status!: CaseStatus;
  @IsString() @MaxLength(200) subject!: string;
  @IsString() @MaxLength(4000) body!: string;
  /** Name and postal address as printed on the envelope. */
  @IsDefined() @ValidateNested() @Type(() => PostalReplyDto) recipient!: PostalReplyDto;
}
