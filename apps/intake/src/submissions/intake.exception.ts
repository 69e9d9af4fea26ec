import { ServiceException } from '@poststelle/platform';

export enum IntakeErrorCode {
  InvalidSubmission = 'INVALID_SUBMISSION',
  MalformedJson = 'MALFORMED_JSON',
  RejectionNotFound = 'REJECTION_NOT_FOUND',
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
  InvalidIdempotencyKey = 'INVALID_IDEMPOTENCY_KEY',
  ReplyChannelAmbiguous = 'REPLY_CHANNEL_NOT_EXACTLY_ONE',
  AttachmentTooLarge = 'ATTACHMENT_TOO_LARGE',
  SubmissionTooLarge = 'SUBMISSION_TOO_LARGE',
  AttachmentHashMismatch = 'ATTACHMENT_HASH_MISMATCH',
  AttachmentBlobMissing = 'ATTACHMENT_BLOB_MISSING',
  DuplicateAttachmentId = 'DUPLICATE_ATTACHMENT_ID',
  CaseNotFound = 'CASE_NOT_FOUND',
  SubmissionNotFound = 'SUBMISSION_NOT_FOUND',
}

const STATUS: Record<IntakeErrorCode, number> = {
  [IntakeErrorCode.InvalidSubmission]: 422,
  [IntakeErrorCode.MalformedJson]: 400,
  [IntakeErrorCode.RejectionNotFound]: 404,
  [IntakeErrorCode.IdempotencyKeyReused]: 422,
  [IntakeErrorCode.InvalidIdempotencyKey]: 400,
  [IntakeErrorCode.ReplyChannelAmbiguous]: 422,
  [IntakeErrorCode.AttachmentTooLarge]: 422,
  [IntakeErrorCode.SubmissionTooLarge]: 422,
  [IntakeErrorCode.AttachmentHashMismatch]: 422,
  [IntakeErrorCode.AttachmentBlobMissing]: 422,
  [IntakeErrorCode.DuplicateAttachmentId]: 422,
  [IntakeErrorCode.CaseNotFound]: 404,
  [IntakeErrorCode.SubmissionNotFound]: 404,
};

export class IntakeException extends ServiceException {
  declare readonly code: IntakeErrorCode;

  constructor(code: IntakeErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(code, STATUS[code], message, extensions);
    this.name = 'IntakeException';
  }
}

/** Rejections caused by the input itself (kept as rejected inputs); the rest are lookups or server faults. */
export function isInputRejection(error: unknown): error is IntakeException {
  return (
    error instanceof IntakeException &&
    ![IntakeErrorCode.CaseNotFound, IntakeErrorCode.SubmissionNotFound, IntakeErrorCode.RejectionNotFound].includes(error.code)
  );
}
