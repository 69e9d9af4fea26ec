import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ARS, LEIKA_KEY } from '@poststelle/contracts';

/** `PUT /v1/admin/scan/classification-rules/{ruleId}`: which service (and tenant) a form id or keywords stand for. */
export class ClassificationRuleRequest {
  @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/) ruleId!: string;
  @Matches(LEIKA_KEY, { message: 'leikaKey must be a 14-digit LeiKa key starting with 99' }) leikaKey!: string;
  @IsOptional() @Matches(ARS, { message: 'tenantArs must be a 12-digit ARS' }) tenantArs?: string;
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(100, { each: true }) formIds?: string[];
  /** Words or phrases; the confidence is the share of them found in the document text. */
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(100, { each: true }) keywords?: string[];
}
