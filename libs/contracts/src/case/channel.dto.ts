import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { SHA512_HEX } from './common.dto';

export const CHANNEL_KINDS = ['portal', 'email', 'scan'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** Portal (FIT-Connect style) evidence: which portal, which FIT-Connect submission, the original metadata hash. */
export class PortalEvidenceDto {
  @IsString() @MaxLength(200) portalId!: string;
  @IsOptional() @IsString() @MaxLength(100) fitConnectSubmissionId?: string;
  /** sha512 of the original FIT-Connect metadata document, kept verbatim by intake. */
  @IsOptional() @Matches(SHA512_HEX) metadataSha512?: string;
  /** How the applicant authenticated, e.g. `bundid-eid`, `bundid-password`, `elster-certificate`. */
  @IsOptional() @IsString() @MaxLength(100) authenticationMethod?: string;
}

export const SIGNATURE_REASONS = [
  'not-signed',
  'malformed-signature',
  'unsupported',
  'bad-signature',
  'unknown-key',
  'untrusted-chain',
  'certificate-expired',
] as const;
export type SignatureReason = (typeof SIGNATURE_REASONS)[number];

/** Who signed an email: certificate facts (S/MIME) or key facts (PGP). Personal data: evidence, never logged. */
export class EmailSignerDto {
  @IsOptional() @IsString() @MaxLength(1000) subject?: string;
  @IsOptional() @IsString() @MaxLength(1000) issuer?: string;
  @IsOptional() @IsString() @MaxLength(100) serialNumber?: string;
  @IsOptional() @IsISO8601() notBefore?: string;
  @IsOptional() @IsISO8601() notAfter?: string;
  /** PGP key id (16 hex digits) and fingerprint of the signing key. */
  @IsOptional() @Matches(/^[0-9a-f]{16}$/) keyId?: string;
  @IsOptional() @Matches(/^[0-9a-f]{40,64}$/) fingerprint?: string;
}

/** Email evidence: the raw message is kept by intake and referenced by hash. */
export class EmailEvidenceDto {
  @Matches(SHA512_HEX) rawMessageSha512!: string;
  @IsOptional() @IsString() @MaxLength(998) messageId?: string;
  @IsOptional() @IsEmail() envelopeFrom?: string;
  @IsOptional() @IsEmail() recipient?: string;
  @IsOptional() @IsIn(['pass', 'fail', 'none', 'neutral', 'temperror', 'permerror', 'softfail', 'policy']) dkim?: string;
  @IsOptional() @IsIn(['pass', 'fail', 'none', 'neutral', 'temperror', 'permerror', 'softfail', 'policy']) spf?: string;
  @IsOptional() @IsIn(['pass', 'fail', 'none', 'temperror', 'permerror']) dmarc?: string;
  @IsOptional() @IsIn(['none', 'smime', 'pgp']) signature?: 'none' | 'smime' | 'pgp';
  /** True only when the signature is valid and the signer is trusted (`signatureValid && certificateTrusted`). */
  @IsOptional() @IsBoolean() signatureVerified?: boolean;
  /** The signature matches the signed content (it was not altered after signing). */
  @IsOptional() @IsBoolean() signatureValid?: boolean;
  /** S/MIME: the signer certificate chains to intake's trust store and is within its validity; PGP: the key is in the keyring. */
  @IsOptional() @IsBoolean() certificateTrusted?: boolean;
  /** Why the signature is not (fully) verified; absent when valid and trusted. */
  @IsOptional() @IsIn(SIGNATURE_REASONS) signatureReason?: SignatureReason;
  @IsOptional() @ValidateNested() @Type(() => EmailSignerDto) signer?: EmailSignerDto;
}

/** The scan centre's certificate that sealed a batch index (organisation certificate data, not personal data). */
export class ScanSealSignerDto {
  @IsString() @MaxLength(1000) subject!: string;
  @IsString() @MaxLength(1000) issuer!: string;
  @IsString() @MaxLength(100) serialNumber!: string;
  @IsOptional() @IsISO8601() notBefore?: string;
  @IsOptional() @IsISO8601() notAfter?: string;
}

/** Paper-scan evidence per BSI TR-RESISCAN: transfer note, integrity hash, who, when, which profile. */
export class ScanEvidenceDto {
  @IsString() @MaxLength(100) batchId!: string;
  @IsString() @MaxLength(200) scanCentre!: string;
  @IsISO8601() scannedAt!: string;
  @IsString() @MaxLength(100) operator!: string;
  @IsString() @MaxLength(100) scannerProfile!: string;
  @IsInt() @Min(1) resolutionDpi!: number;
  @IsString() @MaxLength(2000) transferNote!: string;
  @Matches(SHA512_HEX) indexSha512!: string;
  @IsBoolean() handwrittenSignature!: boolean;
  @IsOptional() @IsString() @MaxLength(500) barcode?: string;
  /** The document within the batch (index `documentId`); optional for backwards compatibility. */
  @IsOptional() @IsString() @MaxLength(100) documentId?: string;
  /** sha512 of the scanned document exactly as delivered (checked against the index). */
  @IsOptional() @Matches(SHA512_HEX) documentSha512?: string;
  @IsOptional() @IsInt() @Min(1) pageCount?: number;
  /** Where the text came from: the PDF's own text layer, or OCR (ocrmypdf/tesseract, output PDF/A-2b). */
  @IsOptional() @IsIn(['text-layer', 'ocr']) textSource?: 'text-layer' | 'ocr';
  /** How the document was assigned to its service: cover-sheet barcode, form id, document text, or a clerk. */
  @IsOptional() @IsIn(['barcode', 'form-id', 'text', 'manual']) classifiedBy?: 'barcode' | 'form-id' | 'text' | 'manual';
  /**
   * The scan centre's seal over the index (detached CMS signature; the index lists every document's sha512): was
   * one delivered, does it match the index, does its signer chain to intake's scan-centre trust store. Optional for
   * backwards compatibility (absent on cases from before seals).
   */
  @IsOptional() @IsBoolean() indexSealed?: boolean;
  @IsOptional() @IsBoolean() indexSealValid?: boolean;
  @IsOptional() @IsBoolean() indexSealTrusted?: boolean;
  @IsOptional() @ValidateNested() @Type(() => ScanSealSignerDto) indexSealSigner?: ScanSealSignerDto;
}

/** The channel a case arrived through, with that channel's evidence (exactly the one matching `kind`). */
export class ChannelDto {
  @IsIn(CHANNEL_KINDS) kind!: ChannelKind;
  @ValidateIf((o: ChannelDto) => o.kind === 'portal')
  @IsDefined({ message: 'portal evidence is required for kind portal' })
  @ValidateNested()
  @Type(() => PortalEvidenceDto)
  portal?: PortalEvidenceDto;
  @ValidateIf((o: ChannelDto) => o.kind === 'email')
  @IsDefined({ message: 'email evidence is required for kind email' })
  @ValidateNested()
  @Type(() => EmailEvidenceDto)
  email?: EmailEvidenceDto;
  @ValidateIf((o: ChannelDto) => o.kind === 'scan')
  @IsDefined({ message: 'scan evidence is required for kind scan' })
  @ValidateNested()
  @Type(() => ScanEvidenceDto)
  scan?: ScanEvidenceDto;
}
