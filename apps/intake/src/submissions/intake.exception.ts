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
  // Email channel
  EmailNotRfc822 = 'EMAIL_NOT_RFC822',
  EmailTooLarge = 'EMAIL_TOO_LARGE',
  EmailUnparseable = 'EMAIL_UNPARSEABLE',
  EmailBounce = 'EMAIL_BOUNCE',
  EmailReadReceipt = 'EMAIL_READ_RECEIPT',
  EmailAutoReply = 'EMAIL_AUTO_REPLY',
  EmailFeedbackReport = 'EMAIL_FEEDBACK_REPORT',
  EmailSpam = 'EMAIL_SPAM',
  EmailUnroutable = 'EMAIL_UNROUTABLE',
  EmailNoReplyAddress = 'EMAIL_NO_REPLY_ADDRESS',
  EmailNoInvoice = 'EMAIL_NO_INVOICE',
  EmailRawNotFound = 'EMAIL_RAW_NOT_FOUND',
  InboundMessageNotFound = 'INBOUND_MESSAGE_NOT_FOUND',
  InvalidMailbox = 'INVALID_MAILBOX',
  MailboxNotFound = 'MAILBOX_NOT_FOUND',
  // Hostile content, any channel
  FormDataMalformed = 'FORM_DATA_MALFORMED',
  XmlDoctypeForbidden = 'XML_DOCTYPE_FORBIDDEN',
  ArchiveBomb = 'ARCHIVE_BOMB',
  InvalidUtf8 = 'INVALID_UTF8',
  ContentTypeMismatch = 'CONTENT_TYPE_MISMATCH',
  PdfCorrupt = 'PDF_CORRUPT',
  PdfEncrypted = 'PDF_ENCRYPTED',
  // FIT-Connect
  FitMetadataSchemaViolation = 'FIT_METADATA_SCHEMA_VIOLATION',
  FitSubmissionNotFound = 'FIT_SUBMISSION_NOT_FOUND',
  FitSubmissionState = 'FIT_SUBMISSION_WRONG_STATE',
  FitAttachmentUnannounced = 'FIT_ATTACHMENT_UNANNOUNCED',
  FitAttachmentMissing = 'FIT_ATTACHMENT_MISSING',
  FitAttachmentHashMismatch = 'FIT_ATTACHMENT_HASH_MISMATCH',
  FitAttachmentTooLarge = 'FIT_ATTACHMENT_TOO_LARGE',
  FitDataHashMismatch = 'FIT_DATA_HASH_MISMATCH',
  FitMetadataMismatch = 'FIT_METADATA_MISMATCH',
  FitUnsupportedService = 'FIT_UNSUPPORTED_SERVICE',
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
  [IntakeErrorCode.EmailNotRfc822]: 415,
  [IntakeErrorCode.EmailTooLarge]: 413,
  [IntakeErrorCode.EmailUnparseable]: 422,
  [IntakeErrorCode.EmailBounce]: 422,
  [IntakeErrorCode.EmailReadReceipt]: 422,
  [IntakeErrorCode.EmailAutoReply]: 422,
  [IntakeErrorCode.EmailFeedbackReport]: 422,
  [IntakeErrorCode.EmailSpam]: 422,
  [IntakeErrorCode.EmailUnroutable]: 422,
  [IntakeErrorCode.EmailNoReplyAddress]: 422,
  [IntakeErrorCode.EmailNoInvoice]: 422,
  [IntakeErrorCode.EmailRawNotFound]: 404,
  [IntakeErrorCode.InboundMessageNotFound]: 404,
  [IntakeErrorCode.InvalidMailbox]: 422,
  [IntakeErrorCode.MailboxNotFound]: 404,
  [IntakeErrorCode.FormDataMalformed]: 422,
  [IntakeErrorCode.XmlDoctypeForbidden]: 422,
  [IntakeErrorCode.ArchiveBomb]: 422,
  [IntakeErrorCode.InvalidUtf8]: 400,
  [IntakeErrorCode.ContentTypeMismatch]: 422,
  [IntakeErrorCode.PdfCorrupt]: 422,
  [IntakeErrorCode.PdfEncrypted]: 422,
  [IntakeErrorCode.FitMetadataSchemaViolation]: 422,
  [IntakeErrorCode.FitSubmissionNotFound]: 404,
  [IntakeErrorCode.FitSubmissionState]: 409,
  [IntakeErrorCode.FitAttachmentUnannounced]: 422,
  [IntakeErrorCode.FitAttachmentMissing]: 422,
  [IntakeErrorCode.FitAttachmentHashMismatch]: 422,
  [IntakeErrorCode.FitAttachmentTooLarge]: 413,
  [IntakeErrorCode.FitDataHashMismatch]: 422,
  [IntakeErrorCode.FitMetadataMismatch]: 422,
  [IntakeErrorCode.FitUnsupportedService]: 422,
};

export class IntakeException extends ServiceException {
  declare readonly code: IntakeErrorCode;

  constructor(code: IntakeErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(code, STATUS[code], message, extensions);
    this.name = 'IntakeException';
  }
}

const LOOKUPS: IntakeErrorCode[] = [
  IntakeErrorCode.CaseNotFound,
  IntakeErrorCode.SubmissionNotFound,
  IntakeErrorCode.RejectionNotFound,
  IntakeErrorCode.EmailRawNotFound,
  IntakeErrorCode.InboundMessageNotFound,
  IntakeErrorCode.MailboxNotFound,
  IntakeErrorCode.FitSubmissionNotFound,
];

/** Rejections caused by the input itself (kept as rejected inputs); the rest are lookups or server faults. */
export function isInputRejection(error: unknown): error is IntakeException {
  return error instanceof IntakeException && !LOOKUPS.includes(error.code);
}
