import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { SHA512_HEX } from '../case/common.dto';
import { ARS, LEIKA_KEY } from '../identifiers';

/** A service the classifier considered for a scanned document, with its score (0..1). */
export class ScanClassificationCandidateDto {
  @Matches(LEIKA_KEY) leikaKey!: string;
  @IsOptional() @Matches(ARS) tenantArs?: string;
  @IsNumber() @Min(0) @Max(1) score!: number;
}

/**
 * Why a scanned document waits for a clerk: the classifier was not confident (`low-confidence`, `ambiguous`,
 * `no-tenant`, `no-match`), or the scan centre assigned it to a case reference that names no existing case
 * (`unknown-case-reference`: index `caseReference` or cover-sheet `case=`).
 */
export const SCAN_CLASSIFICATION_REASONS = ['low-confidence', 'ambiguous', 'no-tenant', 'no-match', 'unknown-case-reference'] as const;
export type ScanClassificationReason = (typeof SCAN_CLASSIFICATION_REASONS)[number];

/**
 * `intake.scan.classification.v1` / type `scan.classification-required`: a scanned document could not be assigned
 * to a service (and tenant) with enough confidence; it waits in intake's manual-classification queue. No personal
 * data: ids, hashes, scores.
 */
export class ScanClassificationRequiredV1 {
  @IsUUID('4') itemId!: string;
  @IsUUID('4') batchId!: string;
  @IsString() @MaxLength(100) externalBatchId!: string;
  @IsString() @MaxLength(100) documentId!: string;
  @Matches(SHA512_HEX) documentSha512!: string;
  @IsNumber() @Min(0) @Max(1) confidence!: number;
  @IsIn(SCAN_CLASSIFICATION_REASONS) reasonCode!: ScanClassificationReason;
  @IsString() @MaxLength(1000) reason!: string;
  @IsArray()
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  @Type(() => ScanClassificationCandidateDto)
  candidates!: ScanClassificationCandidateDto[];
  @IsISO8601() queuedAt!: string;
}
