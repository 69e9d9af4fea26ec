import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, Min, ValidateNested, IsNotEmpty, IsDefined } from 'class-validator';
import { CaseV1 } from '../case/case.v1';

/** `cases.received.v1` / type `case.received`: intake accepted a submission as a canonical case. */
export class CaseReceivedV1 {
  @IsDefined() @ValidateNested() @Type(() => CaseV1) case!: CaseV1;
}

/** Which rule matched and why, in words a clerk understands. */
export class RoutingDecisionDto {
  @IsString() @IsNotEmpty() procedureId!: string;
  @Matches(/^procedure\.[a-z0-9-]+\.cases\.v1$/) procedureTopic!: string;
  @IsString() @IsNotEmpty() ruleId!: string;
  @IsInt() @Min(1) ruleVersion!: number;
  /** The ARS prefix (2, 3, 5, 9 or 12 digits) of the rule that matched. */
  @Matches(/^\d{2,12}$/) matchedPrefix!: string;
  @IsString() @MaxLength(1000) explanation!: string;
}

/** `cases.routed.v1` and `procedure.<id>.cases.v1` / type `case.routed`: the case and where it went. */
export class CaseRoutedV1 {
  @IsDefined() @ValidateNested() @Type(() => CaseV1) case!: CaseV1;
  @IsDefined() @ValidateNested() @Type(() => RoutingDecisionDto) decision!: RoutingDecisionDto;
}

export const MANUAL_ROUTING_REASONS = ['no-rule', 'ambiguous', 'procedure-inactive', 'schema-not-accepted'] as const;

/** `routing.manual.v1` / type `case.manual-routing-required`: nobody is responsible yet; a clerk decides. */
export class ManualRoutingRequiredV1 {
  @IsDefined() @ValidateNested() @Type(() => CaseV1) case!: CaseV1;
  @IsIn(MANUAL_ROUTING_REASONS) reasonCode!: (typeof MANUAL_ROUTING_REASONS)[number];
  @IsString() @MaxLength(1000) reason!: string;
  @IsOptional() @IsString() queueItemId?: string;
}
