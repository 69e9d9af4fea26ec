import {
  CASE_REFERENCE_EXAMPLE,
  CASE_REFERENCE_PATTERN,
  ARS,
  ContractValidationError,
  LEIKA_KEY,
  validateContract,
  type FieldError,
} from '@poststelle/contracts';
import { IsOptional, IsUUID, Matches } from 'class-validator';
import { ScanErrorCode, ScanException } from './scan.exception';

/** A case reference as printed on cover sheets and in letters: `PS-` + the first 8 hex digits of the case id. */

/**
 * `POST /v1/scan/classification-queue/{itemId}/resolve`: either a new case for a tenant and a service
 * (`tenantArs` + `leikaKey`), or the document is a follow-up to an existing case (`caseReference` or `caseId`).
 * Only the formats are declared here; {@link parseResolution} adds the exactly-one-of rule.
 */
export class ResolveClassificationRequest {
  @IsOptional() @Matches(ARS, { message: 'tenantArs must be a 12-digit ARS' }) tenantArs?: string;
  @IsOptional() @Matches(LEIKA_KEY, { message: 'leikaKey must be a 14-digit LeiKa key starting with 99' }) leikaKey?: string;
  @IsOptional()
  @Matches(new RegExp(CASE_REFERENCE_PATTERN.source, 'i'), { message: `caseReference must look like ${CASE_REFERENCE_EXAMPLE}` })
  caseReference?: string;
  @IsOptional() @IsUUID('all', { message: 'caseId must be a UUID' }) caseId?: string;
}

/** What the clerk decided, validated. */
export type ScanResolution =
  | { resolution: 'new-case'; tenantArs: string; leikaKey: string }
  | { resolution: 'follow-up'; caseReference: string }
  | { resolution: 'follow-up'; caseId: string };

const NEW_CASE = ['tenantArs', 'leikaKey'] as const;
const EXISTING_CASE = ['caseReference', 'caseId'] as const;

/**
 * The one validation point of a resolution: field formats, then exactly one of {tenantArs + leikaKey} (new case)
 * or {caseReference | caseId} (follow-up). Throws `SCAN_RESOLUTION_INVALID` with every field error.
 */
export function parseResolution(body: unknown): ScanResolution {
  let request: ResolveClassificationRequest | undefined;
  const errors: FieldError[] = [];
  try {
    request = validateContract(ResolveClassificationRequest, body ?? {});
  } catch (error) {
    if (!(error instanceof ContractValidationError)) throw error;
    errors.push(...error.errors);
  }
  // Which fields were sent decides the mode, even when their format is wrong (so each gets exactly one message).
  const sent = new Set(
    body && typeof body === 'object' && !Array.isArray(body)
      ? Object.entries(body as Record<string, unknown>)
          .filter(([, v]) => v !== undefined && v !== null)
          .map(([k]) => k)
      : [],
  );
  const wantsNew = NEW_CASE.some((f) => sent.has(f));
  const wantsExisting = EXISTING_CASE.some((f) => sent.has(f));
  if (wantsNew && wantsExisting) {
    for (const f of EXISTING_CASE.filter((f) => sent.has(f))) {
      errors.push({
        field: f,
        message: `${f} must not be combined with tenantArs/leikaKey: either a new case (tenantArs + leikaKey) or an existing case (caseReference or caseId)`,
      });
    }
  } else if (wantsExisting) {
    if (sent.has('caseReference') && sent.has('caseId')) {
      errors.push({ field: 'caseId', message: 'caseId must not be combined with caseReference: name the existing case once' });
    }
  } else {
    const hint = wantsNew ? 'required for a new case' : 'required for a new case (or name an existing case with caseReference or caseId)';
    for (const f of NEW_CASE.filter((f) => !sent.has(f))) errors.push({ field: f, message: `${f} is ${hint}` });
  }
  if (errors.length > 0 || !request) {
    throw new ScanException(ScanErrorCode.ResolutionInvalid, 'the resolution is invalid', { errors });
  }
  const { tenantArs, leikaKey, caseReference, caseId } = request;
  if (typeof caseId === 'string') return { resolution: 'follow-up', caseId: caseId.toLowerCase() };
  if (typeof caseReference === 'string') return { resolution: 'follow-up', caseReference: caseReference.toUpperCase() };
  if (typeof tenantArs === 'string' && typeof leikaKey === 'string') return { resolution: 'new-case', tenantArs, leikaKey };
  throw new Error('unreachable: a valid resolution names a new or an existing case');
}
