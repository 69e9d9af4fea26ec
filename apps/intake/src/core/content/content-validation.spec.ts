import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { minimalPdf } from '@poststelle/testing';
import { IntakeErrorCode, IntakeException } from '../intake.exception';
import { inspectPdf, mediaTypeMismatch, sniffMediaType, validateContent } from './index';

const limits = { attachmentMaxBytes: 1024 * 1024, archives: { maxUncompressedBytes: 10 * 1024 * 1024, maxRatio: 100 } };
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

const refusal = (fn: () => unknown): IntakeException | undefined => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(IntakeException);
    return e as IntakeException;
  }
  return undefined;
};

/** Ghostscript, when installed, writes real (and really encrypted) PDFs: the check must hold for them too. */
function ghostscriptPdf(encrypt: boolean): Buffer | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'ps-pdf-'));
  try {
    const out = join(dir, 'out.pdf');
    execFileSync(
      'gs',
      [
        '-q',
        '-dNOPAUSE',
        '-dBATCH',
        '-sDEVICE=pdfwrite',
        ...(encrypt ? ['-sOwnerPassword=owner', '-sUserPassword=user'] : []),
        `-sOutputFile=${out}`,
        '-c',
        '/Helvetica findfont 12 scalefont setfont 72 720 moveto (Antrag) show showpage',
      ],
      { stdio: 'ignore', timeout: 20000 },
    );
    return readFileSync(out);
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('PDF structural check', () => {
  it('accepts a well-formed PDF and reports its version', () => {
    expect(inspectPdf(minimalPdf('Antrag'))).toEqual({ ok: true, facts: { version: '1.4', encrypted: false, revisions: 1 } });
  });
  it('refuses a truncated PDF (no %%EOF in the last KiB)', () => {
    const pdf = minimalPdf('Antrag');
    expect(inspectPdf(pdf.subarray(0, pdf.length - 30))).toMatchObject({ ok: false, problem: 'truncated' });
    expect(inspectPdf(pdf.subarray(0, Math.floor(pdf.length / 2)))).toMatchObject({ ok: false, problem: 'truncated' });
  });
  it('refuses a PDF with %%EOF but no startxref', () => {
    expect(inspectPdf(Buffer.from('%PDF-1.7\n1 0 obj\n<< >>\nendobj\n%%EOF\n'))).toMatchObject({ ok: false, problem: 'no-startxref' });
  });
  it('detects /Encrypt in the trailer', () => {
    expect(inspectPdf(minimalPdf('Antrag', { encrypt: true }))).toMatchObject({ ok: false, problem: 'encrypted' });
  });
  it('detects /Encrypt in a cross-reference stream dictionary (PDF 1.5+)', () => {
    const head = '%PDF-1.7\n';
    const xrefObj = '9 0 obj\n<< /Type /XRef /Size 10 /Root 1 0 R /Encrypt 8 0 R /W [1 2 1] /Length 0 >>\nstream\n\nendstream\nendobj\n';
    const pdf = Buffer.from(`${head}${xrefObj}startxref\n${head.length}\n%%EOF\n`, 'latin1');
    expect(inspectPdf(pdf)).toMatchObject({ ok: false, problem: 'encrypted' });
    expect(inspectPdf(Buffer.from(pdf.toString('latin1').replace('/Encrypt 8 0 R ', ''), 'latin1'))).toMatchObject({ ok: true });
  });
  it('does not take the word /Encrypt inside page content for encryption', () => {
    expect(inspectPdf(minimalPdf('/Encrypt 5 0 R'))).toMatchObject({ ok: true });
  });
  it('holds for PDFs written by Ghostscript (plain and password-protected)', () => {
    const plain = ghostscriptPdf(false);
    const encrypted = ghostscriptPdf(true);
    if (!plain || !encrypted) return; // gs not installed: the crafted cases above still cover the rules
    expect(inspectPdf(plain)).toMatchObject({ ok: true });
    expect(inspectPdf(encrypted)).toMatchObject({ ok: false, problem: 'encrypted' });
  }, 30000);
});

describe('media type sniffing', () => {
  it('recognises formats by their magic bytes', () => {
    expect(sniffMediaType(minimalPdf())).toBe('application/pdf');
    expect(sniffMediaType(PNG)).toBe('image/png');
    expect(sniffMediaType(Buffer.from('hello'))).toBeUndefined();
  });
  it('judges declared against detected', () => {
    expect(mediaTypeMismatch('application/pdf', PNG)).toEqual({ declared: 'application/pdf', detected: 'image/png' });
    expect(mediaTypeMismatch('application/pdf', Buffer.from('MZ...'))).toEqual({
      declared: 'application/pdf',
      detected: 'unrecognised content',
    });
    expect(mediaTypeMismatch('application/json', minimalPdf())).toEqual({ declared: 'application/json', detected: 'application/pdf' });
    expect(mediaTypeMismatch('Application/PDF; name=x.pdf', minimalPdf())).toBeUndefined();
    expect(mediaTypeMismatch('application/octet-stream', PNG)).toBeUndefined();
    expect(mediaTypeMismatch('application/vnd.oasis.opendocument.text', Buffer.from('PK\x03\x04', 'latin1'))).toBeUndefined();
    expect(mediaTypeMismatch('text/plain', Buffer.from('Guten Tag'))).toBeUndefined();
  });
});

describe('validateContent: the one content check of every channel', () => {
  const item = { name: 'nachweis.pdf', field: 'attachments[0]', declaredMediaType: 'application/pdf' };
  it('passes a valid PDF with its facts', () => {
    expect(validateContent(minimalPdf(), item, limits)).toMatchObject({ sniffedMediaType: 'application/pdf', pdf: { version: '1.4' } });
  });
  it.each([
    ['too large', Buffer.alloc(limits.attachmentMaxBytes + 1), IntakeErrorCode.AttachmentTooLarge],
    ['a PNG declared as PDF', PNG, IntakeErrorCode.ContentTypeMismatch],
    ['truncated', minimalPdf().subarray(0, 200), IntakeErrorCode.PdfCorrupt],
    ['encrypted', minimalPdf('x', { encrypt: true }), IntakeErrorCode.PdfEncrypted],
  ])('refuses a PDF that is %s, naming the field', (_what, bytes, code) => {
    const e = refusal(() => validateContent(bytes, item, limits));
    expect(e?.code).toBe(code);
    expect(e?.extensions['errors']).toEqual([{ field: 'attachments[0]', message: expect.any(String) as string }]);
  });
  it('checks an encrypted PDF even when it is declared as octet-stream', () => {
    const e = refusal(() =>
      validateContent(minimalPdf('x', { encrypt: true }), { ...item, declaredMediaType: 'application/octet-stream' }, limits),
    );
    expect(e?.code).toBe(IntakeErrorCode.PdfEncrypted);
  });
});
