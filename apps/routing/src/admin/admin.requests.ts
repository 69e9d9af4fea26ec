import { ArrayMaxSize, IsArray, IsBoolean, IsISO8601, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ARS, LEIKA_KEY, LEVELS_OF_ASSURANCE, type LevelOfAssurance } from '@poststelle/contracts';

export class UpsertProcedureRequest {
  @Matches(ARS, { message: 'tenantArs must be the 12-digit ARS of the authority that runs the procedure' }) tenantArs!: string;
  @IsString() @IsNotEmpty() @MaxLength(300) name!: string;
  @IsOptional() @IsIn(LEVELS_OF_ASSURANCE) requiredLevelOfAssurance?: LevelOfAssurance;
  @IsOptional() @IsBoolean() writtenFormRequired?: boolean;
  /** Form-data schema URIs the procedure can process; empty or absent: any. */
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(500, { each: true }) acceptedSchemas?: string[];
  @IsOptional() @IsBoolean() active?: boolean;
}

export class CreateRoutingRuleRequest {
  @IsOptional() @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/, { message: 'ruleId: lower-case letters, digits and -' }) ruleId?: string;
  @Matches(LEIKA_KEY, { message: 'leikaKey must be 14 digits starting with 99' }) leikaKey!: string;
  @Matches(/^(\d{2}|\d{3}|\d{5}|\d{9}|\d{12})$/, { message: 'arsPrefix must have 2, 3, 5, 9 or 12 digits' }) arsPrefix!: string;
  @IsString() @IsNotEmpty() procedureId!: string;
  @IsOptional() @IsISO8601() validFrom?: string;
  @IsOptional() @IsISO8601() validTo?: string;
}

export class ResolveManualRoutingRequest {
  @IsString() @IsNotEmpty() procedureId!: string;
  @IsOptional() @IsString() @MaxLength(500) note?: string;
}
