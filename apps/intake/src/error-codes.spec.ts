// The split of intake's errors into the core's and each channel's (ADR 0017) keeps every HTTP answer as it was:
// each code below answered with this status before the split, as docs/openapi.yaml and the e2e specs expect.
import { IntakeError, IntakeErrorCode, IntakeException, isInputRejection } from './core';
import { EmailErrorCode, EmailException, emailRefusal } from './channels/email/email.exception';
import { FitErrorCode, FitException } from './channels/fit-connect/fit-connect.exception';
import { PortalErrorCode, PortalException } from './channels/portal/portal.exception';
import { ScanErrorCode, ScanException } from './channels/scan/scan.exception';

const ANSWERED_BEFORE_THE_SPLIT: Record<number, string[]> = {
  400: ['INVALID_IDEMPOTENCY_KEY', 'INVALID_UTF8', 'MALFORMED_JSON'],
  403: ['CHANNEL_NOT_ALLOWED', 'TENANT_NOT_ALLOWED'],
  404: [
    'CASE_NOT_FOUND',
    'EMAIL_RAW_NOT_FOUND',
    'FIT_SUBMISSION_NOT_FOUND',
    'INBOUND_MESSAGE_NOT_FOUND',
    'MAILBOX_NOT_FOUND',
    'REJECTION_NOT_FOUND',
    'SCAN_BATCH_NOT_FOUND',
    'SCAN_DOCUMENT_NOT_FOUND',
    'SCAN_QUEUE_ITEM_NOT_FOUND',
    'SUBMISSION_NOT_FOUND',
  ],
  409: ['FIT_SUBMISSION_WRONG_STATE', 'SCAN_BATCH_DUPLICATE', 'SCAN_BATCH_WRONG_STATE', 'SCAN_QUEUE_ITEM_ALREADY_RESOLVED'],
  413: [
    'EMAIL_TOO_LARGE',
    'FIT_ATTACHMENT_TOO_LARGE',
    'PAYLOAD_TOO_LARGE',
    'SCAN_BATCH_TOO_LARGE',
    'SCAN_DOCUMENT_TOO_LARGE',
    'SCAN_INDEX_TOO_LARGE',
  ],
  415: ['EMAIL_NOT_RFC822', 'SCAN_INDEX_NOT_XML', 'SCAN_UNSUPPORTED_MEDIA_TYPE', 'UNSUPPORTED_MEDIA_TYPE'],
  422: [
    'ARCHIVE_BOMB',
    'ATTACHMENT_BLOB_MISSING',
    'ATTACHMENT_HASH_MISMATCH',
    'ATTACHMENT_TOO_LARGE',
    'CONTENT_TYPE_MISMATCH',
    'DUPLICATE_ATTACHMENT_ID',
    'EMAIL_AUTO_REPLY',
    'EMAIL_BOUNCE',
    'EMAIL_FEEDBACK_REPORT',
    'EMAIL_NO_INVOICE',
    'EMAIL_NO_REPLY_ADDRESS',
    'EMAIL_READ_RECEIPT',
    'EMAIL_SPAM',
    'EMAIL_TOO_MANY_ATTACHMENTS',
    'EMAIL_UNPARSEABLE',
    'EMAIL_UNROUTABLE',
    'FIT_ATTACHMENT_HASH_MISMATCH',
    'FIT_ATTACHMENT_MISSING',
    'FIT_ATTACHMENT_UNANNOUNCED',
    'FIT_DATA_HASH_MISMATCH',
    'FIT_METADATA_MISMATCH',
    'FIT_METADATA_SCHEMA_VIOLATION',
    'FIT_UNSUPPORTED_SERVICE',
    'FORM_DATA_MALFORMED',
    'IDEMPOTENCY_KEY_REUSED',
    'INVALID_MAILBOX',
    'INVALID_SUBMISSION',
    'JSON_CONTENT_REFUSED',
    'PDF_CORRUPT',
    'PDF_ENCRYPTED',
    'REPLY_CHANNEL_NOT_EXACTLY_ONE',
    'SCAN_CLASSIFICATION_RULE_INVALID',
    'SCAN_DOCUMENT_HASH_MISMATCH',
    'SCAN_DOCUMENT_MISSING',
    'SCAN_DOCUMENT_UNKNOWN',
    'SCAN_INDEX_INVALID',
    'SCAN_INDEX_MALFORMED',
    'SCAN_INDEX_SEAL_INVALID',
    'SCAN_INDEX_SEAL_MISSING',
    'SCAN_INDEX_SEAL_UNTRUSTED',
    'SCAN_NO_REPLY_CHANNEL',
    'SCAN_OCR_FAILED',
    'SCAN_PAGE_COUNT_MISMATCH',
    'SCAN_PDF_DAMAGED',
    'SCAN_PDF_ENCRYPTED',
    'SCAN_RESOLUTION_CASE_REFERENCE_AMBIGUOUS',
    'SCAN_RESOLUTION_CASE_UNKNOWN',
    'SCAN_RESOLUTION_INVALID',
    'SUBMISSION_TOO_LARGE',
    'XML_DOCTYPE_FORBIDDEN',
  ],
};

/** Each enum with its class (any code type: the test builds every code of the enum it is given). */
type IntakeErrorClass = new (code: never, message: string) => IntakeError;
const build = (Class: IntakeErrorClass, code: string) => new (Class as new (code: string, message: string) => IntakeError)(code, 'x');

const CLASSES: [IntakeErrorClass, Record<string, string>][] = [
  [IntakeException, IntakeErrorCode],
  [PortalException, PortalErrorCode],
  [EmailException, EmailErrorCode],
  [FitException, FitErrorCode],
  [ScanException, ScanErrorCode],
];

describe("intake's error codes, the core's and each channel's", () => {
  const answered = Object.entries(ANSWERED_BEFORE_THE_SPLIT).flatMap(([status, codes]) =>
    codes.map((code) => [code, Number(status)] as const),
  );
  const now = CLASSES.flatMap(([Class, codes]) => Object.values(codes).map((code) => [code, build(Class, code)] as const));

  it('keeps every code with the status it answered with before, each code in exactly one enum', () => {
    expect(now.map(([code]) => code).sort()).toEqual(answered.map(([code]) => code).sort());
    expect(Object.fromEntries(now.map(([code, error]) => [code, error.status]))).toEqual(Object.fromEntries(answered));
  });

  it('throws every code as an IntakeError, so the core keeps refused input of any channel', () => {
    for (const [code, error] of now) {
      expect(error).toBeInstanceOf(IntakeError);
      expect({ code, keptAsRejectedInput: isInputRejection(error) }).toEqual({
        code,
        keptAsRejectedInput: ![403, 404].includes(error.status),
      });
    }
  });

  it("builds a channel's refusal of either kind as the error of the enum that owns the code", () => {
    expect(emailRefusal(EmailErrorCode.Spam, 'spam')).toBeInstanceOf(EmailException);
    expect(emailRefusal(IntakeErrorCode.InvalidSubmission, 'invalid')).toBeInstanceOf(IntakeException);
  });
});
