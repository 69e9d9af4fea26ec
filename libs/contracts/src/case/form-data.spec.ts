import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  ContractValidationError,
  FormDataDto,
  FormDataIntegrityCode,
  FormDataIntegrityError,
  formDataBytes,
  isFormDataReferenced,
  loadFormContent,
  validateContract,
  type FormDataBlobReader,
  verifiedFormContent,
} from '../index';

const content = { leikaKey: '99050012104000', ars: '120540000000', text: 'x'.repeat(1000) };
const bytes = formDataBytes(content);
const sha512 = createHash('sha512').update(bytes).digest('hex');
const contentRef = { blobRef: `blob:sha512:${sha512}`, sha512, sizeBytes: bytes.length };
const json = (extra: Record<string, unknown>) => ({ schemaUri: 'urn:test', mimeType: 'application/json', sha512, ...extra });

function fieldErrors(plain: unknown): string[] {
  try {
    validateContract(FormDataDto, plain);
  } catch (error) {
    if (error instanceof ContractValidationError) return error.errors.map((e) => `${e.field}: ${e.message}`);
    throw error;
  }
  return [];
}

function integrityCode(fn: () => unknown): FormDataIntegrityCode | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof FormDataIntegrityError) return error.code;
    throw error;
  }
  return undefined;
}

describe('FormDataDto: inline when small, by reference when large', () => {
  it('accepts JSON form data inline (as every case before the claim check had it)', () => {
    const form = validateContract(FormDataDto, json({ content }));
    expect(isFormDataReferenced(form)).toBe(false);
  });

  it('accepts JSON form data by reference (blob store)', () => {
    const form = validateContract(FormDataDto, json({ contentRef }));
    expect(isFormDataReferenced(form)).toBe(true);
  });

  it('requires exactly one of content and contentRef for a JSON form', () => {
    expect(fieldErrors(json({}))).toContain('content: JSON form data needs content (inline) or contentRef (in the blob store)');
    expect(fieldErrors(json({ content, contentRef }))).toEqual(['content: content and contentRef are mutually exclusive']);
  });

  it('validates the reference and the inline content', () => {
    expect(fieldErrors(json({ contentRef: { ...contentRef, blobRef: 'file:///etc/passwd' } }))).toEqual([
      'contentRef.blobRef: blobRef must be blob:sha512:<128 hex digits>',
    ]);
    expect(fieldErrors(json({ contentRef: { ...contentRef, sizeBytes: -1 } }))).toHaveLength(1);
    expect(fieldErrors(json({ content: 'not an object' }))).toEqual(['content: content must be a JSON object']);
  });

  it('lets XML form data (held as an attachment) carry neither', () => {
    expect(fieldErrors({ schemaUri: 'urn:test', mimeType: 'application/xml', sha512 })).toEqual([]);
  });
});

describe('verifiedFormContent: the one check every reader of contentRef applies', () => {
  const form = validateContract(FormDataDto, json({ contentRef }));
  if (!isFormDataReferenced(form)) throw new Error('expected a reference');

  it('returns the content when size and hash match', () => {
    expect(verifiedFormContent(form, bytes)).toEqual(content);
  });

  it('refuses bytes of another size, another hash, or a reference that names another blob', () => {
    expect(integrityCode(() => verifiedFormContent(form, Buffer.concat([bytes, Buffer.from(' ')])))).toBe(
      FormDataIntegrityCode.SizeMismatch,
    );
    const tampered = Buffer.from(bytes);
    tampered[10] = tampered[10]! ^ 1;
    expect(integrityCode(() => verifiedFormContent(form, tampered))).toBe(FormDataIntegrityCode.HashMismatch);
    const other = { ...form, contentRef: { ...contentRef, blobRef: `blob:sha512:${'e'.repeat(128)}` } };
    expect(integrityCode(() => verifiedFormContent(other, bytes))).toBe(FormDataIntegrityCode.RefMismatch);
    const otherForm = { ...form, sha512: 'f'.repeat(128) };
    expect(integrityCode(() => verifiedFormContent(otherForm, bytes))).toBe(FormDataIntegrityCode.HashMismatch);
  });

  it('refuses a blob that is not a JSON object', () => {
    const array = Buffer.from('[1,2]');
    const sha = createHash('sha512').update(array).digest('hex');
    const arrayForm = { ...form, sha512: sha, contentRef: { blobRef: `blob:sha512:${sha}`, sha512: sha, sizeBytes: array.length } };
    expect(integrityCode(() => verifiedFormContent(arrayForm, array))).toBe(FormDataIntegrityCode.NotJsonObject);
  });
});

describe('loadFormContent: inline as is, referenced from the blob store and verified', () => {
  const store = (blobs: Record<string, Buffer>): FormDataBlobReader => ({
    has: (sha) => Promise.resolve(blobs[sha] ? { sizeBytes: blobs[sha].length } : undefined),
    open: (sha) => {
      const b = blobs[sha];
      if (!b) throw new Error(`unexpected open of ${sha}`);
      return Promise.resolve(Readable.from([b.subarray(0, 7), b.subarray(7)]));
    },
  });
  const referenced = validateContract(FormDataDto, json({ contentRef }));

  it('returns inline content without touching the store', async () => {
    await expect(loadFormContent(validateContract(FormDataDto, json({ content })), store({}))).resolves.toEqual(content);
  });

  it('reads referenced content from the store', async () => {
    await expect(loadFormContent(referenced, store({ [sha512]: bytes }))).resolves.toEqual(content);
  });

  it('says so when the blob is missing or of another size (before reading it)', async () => {
    await expect(loadFormContent(referenced, store({}))).rejects.toMatchObject({ code: FormDataIntegrityCode.BlobMissing });
    await expect(loadFormContent(referenced, store({ [sha512]: Buffer.concat([bytes, bytes]) }))).rejects.toMatchObject({
      code: FormDataIntegrityCode.SizeMismatch,
    });
  });
});
