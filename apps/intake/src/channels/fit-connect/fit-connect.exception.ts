import { type HttpStatus } from '@poststelle/platform';
import { channelErrors, type IntakeErrorCode, refusalOf } from '../../core';

/** The own codes of the FIT-Connect channel; its other refusals carry the core's IntakeErrorCode. */
export enum FitErrorCode {
  MetadataSchemaViolation = 'FIT_METADATA_SCHEMA_VIOLATION',
  SubmissionNotFound = 'FIT_SUBMISSION_NOT_FOUND',
  SubmissionState = 'FIT_SUBMISSION_WRONG_STATE',
  AttachmentUnannounced = 'FIT_ATTACHMENT_UNANNOUNCED',
  AttachmentMissing = 'FIT_ATTACHMENT_MISSING',
  AttachmentHashMismatch = 'FIT_ATTACHMENT_HASH_MISMATCH',
  AttachmentTooLarge = 'FIT_ATTACHMENT_TOO_LARGE',
  DataHashMismatch = 'FIT_DATA_HASH_MISMATCH',
  MetadataMismatch = 'FIT_METADATA_MISMATCH',
  UnsupportedService = 'FIT_UNSUPPORTED_SERVICE',
}

/** Exhaustive: a new code does not compile until it has its status. */
const STATUS: Record<FitErrorCode, HttpStatus> = {
  [FitErrorCode.MetadataSchemaViolation]: 422,
  [FitErrorCode.SubmissionNotFound]: 404,
  [FitErrorCode.SubmissionState]: 409,
  [FitErrorCode.AttachmentUnannounced]: 422,
  [FitErrorCode.AttachmentMissing]: 422,
  [FitErrorCode.AttachmentHashMismatch]: 422,
  [FitErrorCode.AttachmentTooLarge]: 413,
  [FitErrorCode.DataHashMismatch]: 422,
  [FitErrorCode.MetadataMismatch]: 422,
  [FitErrorCode.UnsupportedService]: 422,
};

export const FitException = channelErrors('FitException', STATUS);
export type FitException = InstanceType<typeof FitException>;

/** What the channel's rules refuse with: one of its own codes or one of the core's. */
export type FitRefusalCode = FitErrorCode | IntakeErrorCode;
/** The refusal of a code of either kind, as the error of whichever owns it. */
export const fitRefusal = refusalOf(FitException);
