import { createHash } from 'node:crypto';
import { type FormDataDto, type FormDataRefDto } from './common.dto';

/** The bytes a JSON form is hashed and stored as: its JSON serialisation, UTF-8 (`FormDataDto.sha512` is over these). */
export function formDataBytes(content: Record<string, unknown>): Buffer {
  return Buffer.from(JSON.stringify(content), 'utf8');
}

export enum FormDataIntegrityCode {
  /** No blob with the referenced hash is in the blob store. */
  BlobMissing = 'FORM_DATA_BLOB_MISSING',
  /** `contentRef.blobRef` does not name `contentRef.sha512`. */
  RefMismatch = 'FORM_DATA_REF_MISMATCH',
  /** The blob's size differs from `contentRef.sizeBytes`. */
  SizeMismatch = 'FORM_DATA_SIZE_MISMATCH',
  /** The blob's sha512 differs from `contentRef.sha512` or from the form's `sha512`. */
  HashMismatch = 'FORM_DATA_HASH_MISMATCH',
  /** The blob is not a JSON object. */
  NotJsonObject = 'FORM_DATA_NOT_JSON_OBJECT',
}

/** Referenced form data failed verification: never use it, never silently fall back. */
export class FormDataIntegrityError extends Error {
  constructor(
    readonly code: FormDataIntegrityCode,
    message: string,
  ) {
    super(message);
    this.name = 'FormDataIntegrityError';
  }
}

/** Checks a form-data reference on its own (before the blob is read): the blob reference names the hash. */
export function checkFormDataRef(formData: Pick<FormDataDto, 'mimeType' | 'sha512'>, ref: FormDataRefDto): void {
  if (ref.blobRef !== `blob:sha512:${ref.sha512}`) {
    throw new FormDataIntegrityError(FormDataIntegrityCode.RefMismatch, `blobRef ${ref.blobRef} does not name sha512 ${ref.sha512}`);
  }
  if (formData.mimeType === 'application/json' && ref.sha512 !== formData.sha512) {
    throw new FormDataIntegrityError(FormDataIntegrityCode.HashMismatch, 'contentRef.sha512 differs from the form data sha512');
  }
}

/**
 * Verifies the bytes read from the blob store for a referenced JSON form (size, sha512 against the reference and
 * the form's hash) and returns the form content. The one check every reader of `contentRef` applies.
 */
export function verifiedFormContent(formData: FormDataDto & { contentRef: FormDataRefDto }, bytes: Buffer): Record<string, unknown> {
  const ref = formData.contentRef;
  checkFormDataRef(formData, ref);
  if (bytes.length !== ref.sizeBytes) {
    throw new FormDataIntegrityError(
      FormDataIntegrityCode.SizeMismatch,
      `form data blob ${ref.sha512.slice(0, 16)}… has ${bytes.length} bytes, the reference says ${ref.sizeBytes}`,
    );
  }
  const actual = createHash('sha512').update(bytes).digest('hex');
  if (actual !== ref.sha512) {
    throw new FormDataIntegrityError(
      FormDataIntegrityCode.HashMismatch,
      `form data blob ${ref.sha512.slice(0, 16)}… does not match its hash`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new FormDataIntegrityError(FormDataIntegrityCode.NotJsonObject, 'referenced form data is not a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** What reading referenced form data needs of the blob store (the `BlobStore` port satisfies it). */
export interface FormDataBlobReader {
  has(sha512: string): Promise<{ sizeBytes: number } | undefined>;
  open(sha512: string): Promise<AsyncIterable<Buffer | string>>;
}

/**
 * The form content of a case, wherever it travels: inline as is, or read from the blob store by reference and
 * verified ({@link verifiedFormContent}). A blob of the wrong size is refused before it is read.
 */
export async function loadFormContent(formData: FormDataDto, blobs: FormDataBlobReader): Promise<Record<string, unknown> | undefined> {
  const ref = formData.contentRef;
  if (!ref) return formData.content;
  checkFormDataRef(formData, ref);
  const stored = await blobs.has(ref.sha512);
  if (!stored) throw new FormDataIntegrityError(FormDataIntegrityCode.BlobMissing, `no blob ${ref.blobRef} in the blob store`);
  if (stored.sizeBytes !== ref.sizeBytes) {
    throw new FormDataIntegrityError(
      FormDataIntegrityCode.SizeMismatch,
      `form data blob ${ref.sha512.slice(0, 16)}… has ${stored.sizeBytes} bytes, the reference says ${ref.sizeBytes}`,
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of await blobs.open(ref.sha512)) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return verifiedFormContent({ ...formData, contentRef: ref }, Buffer.concat(chunks));
}
