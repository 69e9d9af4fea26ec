import { type HttpStatus } from '@poststelle/platform';
import { channelErrors, type IntakeErrorCode, refusalOf } from '../../core';

/** The own codes of the paper scan channel (batches, documents, the index and its seal, classification); its other refusals carry the core's IntakeErrorCode. */
export enum ScanErrorCode {
  IndexMalformed = 'SCAN_INDEX_MALFORMED',
  IndexInvalid = 'SCAN_INDEX_INVALID',
  IndexTooLarge = 'SCAN_INDEX_TOO_LARGE',
  NotXml = 'SCAN_INDEX_NOT_XML',
  BatchTooLarge = 'SCAN_BATCH_TOO_LARGE',
  BatchDuplicate = 'SCAN_BATCH_DUPLICATE',
  BatchNotFound = 'SCAN_BATCH_NOT_FOUND',
  BatchState = 'SCAN_BATCH_WRONG_STATE',
  DocumentUnknown = 'SCAN_DOCUMENT_UNKNOWN',
  DocumentNotFound = 'SCAN_DOCUMENT_NOT_FOUND',
  DocumentTooLarge = 'SCAN_DOCUMENT_TOO_LARGE',
  DocumentHashMismatch = 'SCAN_DOCUMENT_HASH_MISMATCH',
  DocumentMissing = 'SCAN_DOCUMENT_MISSING',
  UnsupportedMedia = 'SCAN_UNSUPPORTED_MEDIA_TYPE',
  PdfEncrypted = 'SCAN_PDF_ENCRYPTED',
  PdfDamaged = 'SCAN_PDF_DAMAGED',
  PageCountMismatch = 'SCAN_PAGE_COUNT_MISMATCH',
  OcrFailed = 'SCAN_OCR_FAILED',
  NoReplyChannel = 'SCAN_NO_REPLY_CHANNEL',
  QueueItemNotFound = 'SCAN_QUEUE_ITEM_NOT_FOUND',
  QueueItemResolved = 'SCAN_QUEUE_ITEM_ALREADY_RESOLVED',
  ResolutionInvalid = 'SCAN_RESOLUTION_INVALID',
  ResolutionCaseUnknown = 'SCAN_RESOLUTION_CASE_UNKNOWN',
  ResolutionCaseAmbiguous = 'SCAN_RESOLUTION_CASE_REFERENCE_AMBIGUOUS',
  RuleInvalid = 'SCAN_CLASSIFICATION_RULE_INVALID',
  IndexSealMissing = 'SCAN_INDEX_SEAL_MISSING',
  IndexSealInvalid = 'SCAN_INDEX_SEAL_INVALID',
  IndexSealUntrusted = 'SCAN_INDEX_SEAL_UNTRUSTED',
}

/** Exhaustive: a new code does not compile until it has its status. */
const STATUS: Record<ScanErrorCode, HttpStatus> = {
  [ScanErrorCode.IndexMalformed]: 422,
  [ScanErrorCode.IndexInvalid]: 422,
  [ScanErrorCode.IndexTooLarge]: 413,
  [ScanErrorCode.NotXml]: 415,
  [ScanErrorCode.BatchTooLarge]: 413,
  [ScanErrorCode.BatchDuplicate]: 409,
  [ScanErrorCode.BatchNotFound]: 404,
  [ScanErrorCode.BatchState]: 409,
  [ScanErrorCode.DocumentUnknown]: 422,
  [ScanErrorCode.DocumentNotFound]: 404,
  [ScanErrorCode.DocumentTooLarge]: 413,
  [ScanErrorCode.DocumentHashMismatch]: 422,
  [ScanErrorCode.DocumentMissing]: 422,
  [ScanErrorCode.UnsupportedMedia]: 415,
  [ScanErrorCode.PdfEncrypted]: 422,
  [ScanErrorCode.PdfDamaged]: 422,
  [ScanErrorCode.PageCountMismatch]: 422,
  [ScanErrorCode.OcrFailed]: 422,
  [ScanErrorCode.NoReplyChannel]: 422,
  [ScanErrorCode.QueueItemNotFound]: 404,
  [ScanErrorCode.QueueItemResolved]: 409,
  [ScanErrorCode.ResolutionInvalid]: 422,
  [ScanErrorCode.ResolutionCaseUnknown]: 422,
  [ScanErrorCode.ResolutionCaseAmbiguous]: 422,
  [ScanErrorCode.RuleInvalid]: 422,
  [ScanErrorCode.IndexSealMissing]: 422,
  [ScanErrorCode.IndexSealInvalid]: 422,
  [ScanErrorCode.IndexSealUntrusted]: 422,
};

export const ScanException = channelErrors('ScanException', STATUS);
export type ScanException = InstanceType<typeof ScanException>;

/** What the channel's rules refuse with: one of its own codes or one of the core's. */
export type ScanRefusalCode = ScanErrorCode | IntakeErrorCode;
/** The refusal of a code of either kind, as the error of whichever owns it. */
export const scanRefusal = refusalOf(ScanException);
