import { IntakeErrorCode, IntakeException } from '../intake.exception';
import { assertNotArchiveBomb, type ArchiveFacts, type ArchiveLimits } from './archive-inspection';
import { mediaTypeMismatch, sniffMediaType } from './media-type';
import { inspectPdf, type PdfFacts } from './pdf-inspection';

export interface ContentLimits {
  /** One attachment. */
  attachmentMaxBytes: number;
  archives: ArchiveLimits;
}

export interface ContentItem {
  /** Shown in messages, e.g. the file name. */
  name: string;
  /** Where the problem is, in the caller's terms (`attachments[2]`, `attachments.<id>`, the file name). */
  field: string;
  /** The media type the sender declared. */
  declaredMediaType: string;
}

export interface ContentFacts {
  sizeBytes: number;
  /** By magic bytes, when recognised. */
  sniffedMediaType?: string;
  pdf?: PdfFacts;
  archive?: ArchiveFacts;
}

/**
 * The one content-validation point of intake: every channel (portal API, FIT-Connect, email, scan) runs each
 * document through here before it becomes part of a case. Refuses, each with its own code and the field named:
 * - more than `attachmentMaxBytes` → ATTACHMENT_TOO_LARGE
 * - a declared media type the bytes contradict (e.g. "application/pdf" that is a PNG) → CONTENT_TYPE_MISMATCH
 * - zip/gzip declaring an extreme uncompressed size or ratio → ARCHIVE_BOMB
 * - a PDF without %%EOF/startxref (truncated, damaged) → PDF_CORRUPT
 * - an encrypted or password-protected PDF → PDF_ENCRYPTED: the back office cannot read it and the archive cannot
 *   keep it (PDF/A forbids encryption); the sender is asked to send it without a password.
 */
export function validateContent(bytes: Buffer, item: ContentItem, limits: ContentLimits): ContentFacts {
  const problem = (code: IntakeErrorCode, message: string, detail: string) =>
    new IntakeException(code, `attachment '${item.name}': ${message}`, { errors: [{ field: item.field, message: detail }] });
  if (bytes.length > limits.attachmentMaxBytes) {
    throw problem(
      IntakeErrorCode.AttachmentTooLarge,
      `${bytes.length} bytes exceed the limit of ${limits.attachmentMaxBytes}`,
      'attachment too large',
    );
  }
  const mismatch = mediaTypeMismatch(item.declaredMediaType, bytes);
  if (mismatch) {
    throw problem(
      IntakeErrorCode.ContentTypeMismatch,
      `declared as ${mismatch.declared} but the content is ${mismatch.detected}`,
      `content is ${mismatch.detected}, not ${mismatch.declared}`,
    );
  }
  const sniffed = sniffMediaType(bytes);
  const facts: ContentFacts = { sizeBytes: bytes.length, ...(sniffed ? { sniffedMediaType: sniffed } : {}) };
  const archive = assertNotArchiveBomb(bytes, item.name, limits.archives, item.field);
  if (archive) {
    facts.archive = archive;
  }
  if (sniffed === 'application/pdf') {
    const pdf = inspectPdf(bytes);
    if (!pdf.ok) {
      throw pdf.problem === 'encrypted'
        ? problem(IntakeErrorCode.PdfEncrypted, pdf.detail, 'encrypted or password-protected PDF; send it without a password')
        : problem(IntakeErrorCode.PdfCorrupt, pdf.detail, `corrupt PDF (${pdf.problem})`);
    }
    facts.pdf = pdf.facts;
  }
  return facts;
}
