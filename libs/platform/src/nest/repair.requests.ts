import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';

const TOPIC = /^[A-Za-z0-9._-]{1,249}$/;
const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

/** Filter of `GET /v1/ops/dead-letters` and of a bulk replay. */
export class DeadLetterQuery {
  @IsOptional() @IsIn(['open', 'replayed', 'discarded']) state?: 'open' | 'replayed' | 'discarded';
  @IsOptional() @Matches(TOPIC, { message: 'topic must be a Kafka topic name' }) topic?: string;
  @IsOptional() @IsString() @MaxLength(200) type?: string;
  @IsOptional() @IsString() @MaxLength(200) error?: string;
  @IsOptional() @IsISO8601({ strict: true }) since?: string;
  @IsOptional() @IsISO8601({ strict: true }) until?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1000) limit?: number;
}

export class ReplayFilter {
  @IsOptional() @Matches(TOPIC, { message: 'topic must be a Kafka topic name' }) topic?: string;
  @IsOptional() @IsString() @MaxLength(200) type?: string;
  @IsOptional() @IsString() @MaxLength(200) error?: string;
  @IsOptional() @IsISO8601({ strict: true }) since?: string;
  @IsOptional() @IsISO8601({ strict: true }) until?: string;
  @IsOptional() @IsInt() @Min(1) @Max(1000) limit?: number;
}

export class ReplayOneRequest {
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(1000) reason?: string;
}

export class ReplayManyRequest {
  /** Selects open dead letters; at least one criterion, so "replay everything" is never an accident. */
  @ValidateNested() @Type(() => ReplayFilter) filter!: ReplayFilter;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(1000) reason?: string;
}

export class DiscardRequest {
  @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
}

export class ParkedQuery {
  @IsOptional() @IsIn(['parked', 'retried', 'discarded']) state?: 'parked' | 'retried' | 'discarded';
  @IsOptional() @Matches(TOPIC, { message: 'topic must be a Kafka topic name' }) topic?: string;
  @IsOptional() @IsString() @MaxLength(200) key?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1000) limit?: number;
}

export class AuditQuery {
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1000) limit?: number;
}
