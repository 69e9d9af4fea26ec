import {
  CASE_REFERENCE_EXAMPLE,
  CASE_REFERENCE_PATTERN,
  ARS,
  ContractValidationError,
  SHA512_HEX,
  validateContract,
} from '@poststelle/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { parseStringPromise } from 'xml2js';
import { processors } from 'xml2js';
import { decodeUtf8, IntakeErrorCode, IntakeException } from '../../core';
import { ScanErrorCode, ScanException } from './scan.exception';

/** Media types a scan centre may deliver. */
export const SCAN_MEDIA_TYPES = ['application/pdf', 'image/tiff'] as const;
export type ScanMediaType = (typeof SCAN_MEDIA_TYPES)[number];

/** A plain file name: no path separators, no leading dot, no control characters. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what a file name must not contain
const FILE_NAME = /^[^/\\\u0000-\u001f.][^/\\\u0000-\u001f]{0,199}$/;

/** What the scan centre captured about the applicant from the paper (index data), all optional. */
export class ScanApplicantDto {
  @IsOptional() @IsIn(['natural', 'legal']) kind?: 'natural' | 'legal';
  @IsOptional() @IsString() @MaxLength(200) givenName?: string;
  @IsOptional() @IsString() @MaxLength(200) familyName?: string;
  @IsOptional() @IsString() @MaxLength(300) organisation?: string;
  @IsOptional() @IsISO8601({ strict: true }) dateOfBirth?: string;
  @IsOptional() @IsEmail() email?: string;
  /** Postal address: with a name, street, postal code and city it is the reply channel when there is no e-mail. */
  @IsOptional() @IsString() @MaxLength(200) street?: string;
  @IsOptional() @IsString() @MaxLength(20) houseNumber?: string;
  @IsOptional() @IsString() @MaxLength(20) postalCode?: string;
  @IsOptional() @IsString() @MaxLength(200) city?: string;
  @IsOptional() @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code' }) country?: string;
}

export class ScanIndexDocumentDto {
  @IsString() @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/) documentId!: string;
  @IsString() @Matches(FILE_NAME, { message: 'fileName must be a plain file name (no path, no leading dot)' }) fileName!: string;
  @IsIn(SCAN_MEDIA_TYPES) mediaType!: ScanMediaType;
  /** sha512 of the document bytes (integrity protection, TR-RESISCAN). */
  @Matches(SHA512_HEX, { message: 'sha512 must be 128 lower-case hex digits' }) sha512!: string;
  @IsInt() @Min(1) @Max(10000) pageCount!: number;
  @IsBoolean() handwrittenSignature!: boolean;
  /** Case reference of an existing case (follow-up), e.g. from a cover sheet: `PS-` + 8 hex digits. */
  @IsOptional()
  @Matches(CASE_REFERENCE_PATTERN, { message: `caseReference must look like ${CASE_REFERENCE_EXAMPLE}` })
  caseReference?: string;
  /** Barcode contents as read by the scan centre (cover sheet). */
  @IsOptional() @IsArray() @ArrayMaxSize(10) @IsString({ each: true }) @MaxLength(500, { each: true }) barcodes?: string[];
  /** Identifier of the printed form (e.g. printed in its footer), mapped to a service by classification rules. */
  @IsOptional() @IsString() @MaxLength(100) formId?: string;
  @IsOptional() @ValidateNested() @Type(() => ScanApplicantDto) applicant?: ScanApplicantDto;
  /** Structured application form data captured from the paper (JSON text, see docs/canonical-model.md). */
  @IsOptional() @IsString() @MaxLength(1_000_000) applicationForm?: string;
}

/** The parsed index of one scan batch; `scan-index.xsd` is the same format as an XML schema. */
export class ScanIndexDto {
  @IsString() @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/) batchId!: string;
  @IsString() @IsNotEmpty() @MaxLength(200) scanCentre!: string;
  @IsISO8601({ strict: true }) scannedAt!: string;
  @IsString() @IsNotEmpty() @MaxLength(100) operator!: string;
  @IsString() @IsNotEmpty() @MaxLength(100) scannerProfile!: string;
  @IsInt() @Min(1) @Max(4800) resolutionDpi!: number;
  /** Transfer note (Transfervermerk): who scanned what, when, how, and that the image matches the paper. */
  @IsString() @IsNotEmpty() @MaxLength(2000) transferNote!: string;
  /** The authority the batch was scanned for; used when classification names a service but no tenant. */
  @IsOptional() @Matches(ARS, { message: 'tenantArs must be a 12-digit ARS' }) tenantArs?: string;
  @IsDefined()
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => ScanIndexDocumentDto)
  documents!: ScanIndexDocumentDto[];
}

const INTEGER = /^\s*\d{1,9}\s*$/;
const text = (v: unknown): unknown => {
  if (v && typeof v === 'object' && !Array.isArray(v) && '_' in v) return (v as { _: unknown })._;
  return v;
};
const asArray = (v: unknown): unknown[] => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]);
const trimmed = (v: unknown): unknown => (typeof v === 'string' ? v.trim() : text(v));
const int = (v: unknown): unknown => (typeof trimmed(v) === 'string' && INTEGER.test(trimmed(v) as string) ? Number(trimmed(v)) : v);
const bool = (v: unknown): unknown => {
  const t = trimmed(v);
  return t === 'true' || t === '1' ? true : t === 'false' || t === '0' ? false : v;
};
const optional = <T>(key: string, v: T | undefined): Record<string, T> => (v === undefined ? {} : { [key]: v });

/** xml2js output (explicitArray false, prefixes stripped) → the plain object the DTO validates. */
function toPlain(root: Record<string, unknown>): Record<string, unknown> {
  const documents = asArray((root['documents'] as Record<string, unknown> | undefined)?.['document'] ?? root['document']).map((d) => {
    const doc = (d ?? {}) as Record<string, unknown>;
    const applicant = doc['applicant'] as Record<string, unknown> | undefined;
    const barcodes = doc['barcodes'] as Record<string, unknown> | undefined;
    return {
      documentId: trimmed(doc['documentId']),
      fileName: trimmed(doc['fileName']),
      mediaType: trimmed(doc['mediaType']),
      sha512: typeof trimmed(doc['sha512']) === 'string' ? (trimmed(doc['sha512']) as string).toLowerCase() : doc['sha512'],
      pageCount: int(doc['pageCount']),
      handwrittenSignature: bool(doc['handwrittenSignature']),
      ...optional('caseReference', trimmed(doc['caseReference'])),
      ...(barcodes ? { barcodes: asArray(barcodes['barcode']).map(trimmed) } : {}),
      ...optional('formId', trimmed(doc['formId'])),
      ...(applicant && typeof applicant === 'object'
        ? {
            applicant: Object.fromEntries(
              Object.entries(applicant)
                .filter(([k]) => k !== '$')
                .map(([k, v]) => [k, trimmed(v)]),
            ),
          }
        : {}),
      ...optional('applicationForm', text(doc['applicationForm'])),
    };
  });
  return {
    batchId: trimmed(root['batchId']),
    scanCentre: trimmed(root['scanCentre']),
    scannedAt: trimmed(root['scannedAt']),
    operator: trimmed(root['operator']),
    scannerProfile: trimmed(root['scannerProfile']),
    resolutionDpi: int(root['resolutionDpi']),
    transferNote: trimmed(root['transferNote']),
    ...optional('tenantArs', trimmed(root['tenantArs'])),
    documents,
  };
}

/**
 * The one validation point of a scan index: strict UTF-8, no DOCTYPE/ENTITY (external entities, entity
 * expansion), well-formed XML with root `scanBatch`, then the class-validator DTO above. Throws ScanException
 * with a specific code and every invalid field.
 */
export async function parseScanIndex(bytes: Buffer, limits: { indexMaxBytes: number; maxDocuments: number }): Promise<ScanIndexDto> {
  if (bytes.length > limits.indexMaxBytes) {
    throw new ScanException(ScanErrorCode.IndexTooLarge, `the index has ${bytes.length} bytes; the limit is ${limits.indexMaxBytes}`);
  }
  const xml = decodeUtf8(bytes, 'the scan index');
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) {
    throw new IntakeException(
      IntakeErrorCode.XmlDoctypeForbidden,
      'the scan index contains a DOCTYPE or ENTITY declaration; these are refused (external entities, entity expansion)',
    );
  }
  let parsed: unknown;
  try {
    parsed = await parseStringPromise(xml, {
      explicitArray: false,
      strict: true,
      async: false,
      trim: false,
      tagNameProcessors: [processors.stripPrefix],
    });
  } catch (error) {
    throw new ScanException(
      ScanErrorCode.IndexMalformed,
      `the scan index is not well-formed XML: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  const root = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>)['scanBatch'] : undefined;
  if (!root || typeof root !== 'object') {
    throw new ScanException(ScanErrorCode.IndexMalformed, 'the scan index must have the root element scanBatch');
  }
  const plain = toPlain(root as Record<string, unknown>);
  const count = (plain['documents'] as unknown[]).length;
  if (count > limits.maxDocuments) {
    throw new ScanException(
      ScanErrorCode.BatchTooLarge,
      `the batch lists ${count} documents; the limit is ${limits.maxDocuments} per batch`,
    );
  }
  let index: ScanIndexDto;
  try {
    index = validateContract(ScanIndexDto, plain);
  } catch (error) {
    if (error instanceof ContractValidationError) {
      throw new ScanException(ScanErrorCode.IndexInvalid, 'the scan index does not match the index format', {
        errors: error.errors,
      });
    }
    throw error;
  }
  const seen = new Set<string>();
  for (const [i, d] of index.documents.entries()) {
    for (const key of [`id:${d.documentId}`, `file:${d.fileName}`]) {
      if (seen.has(key)) {
        throw new ScanException(ScanErrorCode.IndexInvalid, 'documentId and fileName must be unique within a batch', {
          errors: [{ field: `documents[${i}]`, message: `duplicate ${key.split(':')[0] === 'id' ? 'documentId' : 'fileName'}` }],
        });
      }
      seen.add(key);
    }
  }
  return index;
}
