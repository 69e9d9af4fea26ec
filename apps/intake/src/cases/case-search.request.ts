import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { CASE_REFERENCE_PATTERN, LEIKA_KEY } from '@poststelle/contracts';

/** What `GET /v1/cases` reports as a case's state: intake's read model, exactly as `GET /v1/cases/{id}` does. */
export const CASE_STATES = ['received', 'routed', 'manual-routing'] as const;
export type CaseState = (typeof CASE_STATES)[number];

/**
 * The channel as an operator names it: the case's channel kind, except that portal cases that came through
 * FIT-Connect are `fit-connect`.
 */
export const SEARCH_CHANNELS = ['portal', 'fit-connect', 'email', 'scan'] as const;
export type SearchChannel = (typeof SEARCH_CHANNELS)[number];

/** A tenant filter: an ARS or ARS prefix of 2, 3, 5, 9 or 12 digits (a 12-digit ARS stands for its region). */
const TENANT = /^(\d{2}|\d{3}|\d{5}|\d{9}|\d{12})$/;

/** `GET /v1/cases` query parameters; every one optional, each checked (400 names the bad ones). */
export class CaseSearchQuery {
  @IsOptional() @IsUUID('4') caseId?: string;
  @IsOptional()
  @Matches(new RegExp(CASE_REFERENCE_PATTERN.source, 'i'), { message: 'reference must look like PS-3F2A-9C1B-1111-AAA8-A' })
  reference?: string;
  @IsOptional() @IsString() @MaxLength(200) senderReference?: string;
  @IsOptional() @Matches(TENANT, { message: 'tenant must be an ARS or ARS prefix of 2, 3, 5, 9 or 12 digits' }) tenant?: string;
  @IsOptional() @Matches(LEIKA_KEY, { message: 'service must be a LeiKa key (14 digits starting with 99)' }) service?: string;
  @IsOptional() @IsIn(SEARCH_CHANNELS) channel?: SearchChannel;
  @IsOptional() @IsIn(CASE_STATES) status?: CaseState;
  @IsOptional() @IsISO8601({ strict: true }) receivedFrom?: string;
  @IsOptional() @IsISO8601({ strict: true }) receivedTo?: string;
  /** Checked by `pageRequestOf`. */
  @IsOptional() @IsString() limit?: string;
  @IsOptional() @IsString() cursor?: string;
}
