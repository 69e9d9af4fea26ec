import { typedErrors, type HttpStatus } from '@poststelle/platform';

/** Every error archive answers with; the code is the problem `type`, the status follows from the code. */
export enum ArchiveErrorCode {
  FileNotFound = 'FILE_NOT_FOUND',
  HoldNotFound = 'HOLD_NOT_FOUND',
  HoldLifted = 'HOLD_ALREADY_LIFTED',
  UnsupportedVersion = 'XDOMEA_VERSION_UNSUPPORTED',
  /** A document version fails its hash while the file is exported: verify the file. */
  ExportInvalid = 'XDOMEA_EXPORT_INVALID',
  /** The 0503 message archive generated fails the xdomea schema: a bug, nothing the caller can fix. */
  ExportFailsSchema = 'XDOMEA_EXPORT_FAILS_SCHEMA',
  OfferNotFound = 'DISPOSAL_OFFER_NOT_FOUND',
  OfferClosed = 'DISPOSAL_OFFER_CLOSED',
  /** The 0501 offer archive generated fails the xdomea schema: a bug, nothing the caller can fix. */
  OfferFailsSchema = 'XDOMEA_OFFER_FAILS_SCHEMA',
  AnswerInvalid = 'XDOMEA_ANSWER_INVALID',
  AnswerUnexpected = 'XDOMEA_ANSWER_UNEXPECTED',
  DisposalRunNotFound = 'DISPOSAL_RUN_NOT_FOUND',
  DeletionRecordNotFound = 'DELETION_RECORD_NOT_FOUND',
  InvalidProcedureId = 'INVALID_PROCEDURE_ID',
  FileSettingsNotFound = 'FILE_SETTINGS_NOT_FOUND',
}

/** Exhaustive: a new code does not compile until it has its status. */
const STATUS: Record<ArchiveErrorCode, HttpStatus> = {
  [ArchiveErrorCode.FileNotFound]: 404,
  [ArchiveErrorCode.HoldNotFound]: 404,
  [ArchiveErrorCode.HoldLifted]: 409,
  [ArchiveErrorCode.UnsupportedVersion]: 400,
  [ArchiveErrorCode.ExportInvalid]: 409,
  [ArchiveErrorCode.ExportFailsSchema]: 500,
  [ArchiveErrorCode.OfferNotFound]: 404,
  [ArchiveErrorCode.OfferClosed]: 409,
  [ArchiveErrorCode.OfferFailsSchema]: 500,
  [ArchiveErrorCode.AnswerInvalid]: 422,
  [ArchiveErrorCode.AnswerUnexpected]: 422,
  [ArchiveErrorCode.DisposalRunNotFound]: 404,
  [ArchiveErrorCode.DeletionRecordNotFound]: 404,
  [ArchiveErrorCode.InvalidProcedureId]: 400,
  [ArchiveErrorCode.FileSettingsNotFound]: 404,
};

export const ArchiveException = typedErrors('ArchiveException', STATUS);
export type ArchiveException = InstanceType<typeof ArchiveException>;
