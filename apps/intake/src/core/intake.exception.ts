import { ServiceException, typedErrors, type HttpStatus, type ProblemExtensions, type TypedErrorClass } from '@poststelle/platform';

/**
 * Every error of intake, the core's and each channel's (ADR 0017): the core tells a refusal of input (kept as a
 * rejected input) from a lookup or a refusal of access by this class and the status, whichever channel threw it.
 */
export abstract class IntakeError extends ServiceException {
  /** The same error with more problem extensions (e.g. the id its rejected input was kept under). */
  abstract with(extensions: ProblemExtensions): this;
  /** An error of the same class and code with another message and only the given extensions. */
  abstract restated(message: string, extensions?: ProblemExtensions): this;
}

/** The core's codes: submission validation, content, cases and submissions, rejected inputs, access. */
export enum IntakeErrorCode {
  InvalidSubmission = 'INVALID_SUBMISSION',
  MalformedJson = 'MALFORMED_JSON',
  JsonContentRefused = 'JSON_CONTENT_REFUSED',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  RejectionNotFound = 'REJECTION_NOT_FOUND',
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
  ReplyChannelAmbiguous = 'REPLY_CHANNEL_NOT_EXACTLY_ONE',
  AttachmentTooLarge = 'ATTACHMENT_TOO_LARGE',
  SubmissionTooLarge = 'SUBMISSION_TOO_LARGE',
  AttachmentHashMismatch = 'ATTACHMENT_HASH_MISMATCH',
  AttachmentBlobMissing = 'ATTACHMENT_BLOB_MISSING',
  DuplicateAttachmentId = 'DUPLICATE_ATTACHMENT_ID',
  CaseNotFound = 'CASE_NOT_FOUND',
  SubmissionNotFound = 'SUBMISSION_NOT_FOUND',
  // Hostile content, any channel
  FormDataMalformed = 'FORM_DATA_MALFORMED',
  XmlDoctypeForbidden = 'XML_DOCTYPE_FORBIDDEN',
  ArchiveBomb = 'ARCHIVE_BOMB',
  InvalidUtf8 = 'INVALID_UTF8',
  ContentTypeMismatch = 'CONTENT_TYPE_MISMATCH',
  PdfCorrupt = 'PDF_CORRUPT',
  PdfEncrypted = 'PDF_ENCRYPTED',
  // Access (ADR 0016)
  ChannelNotAllowed = 'CHANNEL_NOT_ALLOWED',
  TenantNotAllowed = 'TENANT_NOT_ALLOWED',
}

/** Exhaustive: a new code does not compile until it has its status. */
const STATUS: Record<IntakeErrorCode, HttpStatus> = {
  [IntakeErrorCode.InvalidSubmission]: 422,
  [IntakeErrorCode.MalformedJson]: 400,
  [IntakeErrorCode.JsonContentRefused]: 422,
  [IntakeErrorCode.UnsupportedMediaType]: 415,
  [IntakeErrorCode.PayloadTooLarge]: 413,
  [IntakeErrorCode.RejectionNotFound]: 404,
  [IntakeErrorCode.IdempotencyKeyReused]: 422,
  [IntakeErrorCode.ReplyChannelAmbiguous]: 422,
  [IntakeErrorCode.AttachmentTooLarge]: 422,
  [IntakeErrorCode.SubmissionTooLarge]: 422,
  [IntakeErrorCode.AttachmentHashMismatch]: 422,
  [IntakeErrorCode.AttachmentBlobMissing]: 422,
  [IntakeErrorCode.DuplicateAttachmentId]: 422,
  [IntakeErrorCode.CaseNotFound]: 404,
  [IntakeErrorCode.SubmissionNotFound]: 404,
  [IntakeErrorCode.FormDataMalformed]: 422,
  [IntakeErrorCode.XmlDoctypeForbidden]: 422,
  [IntakeErrorCode.ArchiveBomb]: 422,
  [IntakeErrorCode.InvalidUtf8]: 400,
  [IntakeErrorCode.ContentTypeMismatch]: 422,
  [IntakeErrorCode.PdfCorrupt]: 422,
  [IntakeErrorCode.PdfEncrypted]: 422,
  [IntakeErrorCode.ChannelNotAllowed]: 403,
  [IntakeErrorCode.TenantNotAllowed]: 403,
};

export const IntakeException = typedErrors('IntakeException', STATUS, IntakeError);
export type IntakeException = InstanceType<typeof IntakeException>;

/** A channel's own exception class, from its code enum and exhaustive status map; its errors are IntakeErrors. */
export function channelErrors<C extends string>(name: string, statuses: Readonly<Record<C, HttpStatus>>): TypedErrorClass<C, IntakeError> {
  return typedErrors(name, statuses, IntakeError);
}

/**
 * Builds a refusal whose code is the channel's own or the core's (a channel's rules use both), as the error of
 * whichever owns the code.
 */
export function refusalOf<C extends string>(
  Channel: TypedErrorClass<C, IntakeError>,
): (code: C | IntakeErrorCode, message: string, extensions?: ProblemExtensions) => IntakeError {
  return (code, message, extensions = {}) =>
    Channel.owns(code) ? new Channel(code, message, extensions) : new IntakeException(code, message, extensions);
}

/** Whether an error is the core's refusal with this code. */
export function isCoreRefusal(error: unknown, code: IntakeErrorCode): boolean {
  return error instanceof IntakeException && error.code === code;
}

/**
 * Rejections caused by the input itself (kept as rejected inputs), of the core or any channel; the rest are lookups
 * (404), refusals of access (403) or server faults.
 */
export function isInputRejection(error: unknown): error is IntakeError {
  return error instanceof IntakeError && error.status !== 404 && error.status !== 403;
}
