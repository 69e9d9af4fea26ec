/**
 * Structural sanity check of a PDF, without rendering it: enough to refuse what the back office cannot open or the
 * archive cannot keep. Reads the header, the last KiB (startxref, %%EOF) and the trailer dictionary that startxref
 * points to (classic `trailer << >>` or a cross-reference stream's dictionary, PDF ≥ 1.5).
 */
export type PdfProblem = 'not-a-pdf' | 'truncated' | 'no-startxref' | 'encrypted';

export interface PdfFacts {
  /** e.g. `1.7`. */
  version: string;
  encrypted: boolean;
  /** Incremental updates (number of `%%EOF` markers); more than one means the document was amended. */
  revisions: number;
}

export type PdfInspection = { ok: true; facts: PdfFacts } | { ok: false; problem: PdfProblem; detail: string };

const HEADER_WINDOW = 1024;
const TAIL_WINDOW = 1024;
const HEADER = /%PDF-(\d\.\d)/;

/** True when the bytes carry a PDF header within the first KiB (as readers accept). */
export function looksLikePdf(bytes: Buffer): boolean {
  return HEADER.test(bytes.subarray(0, HEADER_WINDOW).toString('latin1'));
}

/** Any `/Encrypt` entry (an indirect reference or an inline dictionary) in a dictionary's text. */
const ENCRYPT_ENTRY = /\/Encrypt\s*(\d+\s+\d+\s+R|<<)/;

/** The trailer dictionary text at `startxref` (table → following `trailer << >>`; stream → the object's dictionary). */
function trailerAt(text: string, offset: number): string | undefined {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset >= text.length) return undefined;
  const window = text.slice(offset, offset + 64 * 1024);
  if (window.startsWith('xref')) {
    const t = window.indexOf('trailer');
    if (t < 0) return undefined;
    const end = window.indexOf('startxref', t);
    return window.slice(t, end < 0 ? undefined : end);
  }
  if (/^\d+\s+\d+\s+obj/.test(window)) {
    const end = window.indexOf('stream');
    return window.slice(0, end < 0 ? undefined : end);
  }
  return undefined;
}

export function inspectPdf(bytes: Buffer): PdfInspection {
  const head = HEADER.exec(bytes.subarray(0, HEADER_WINDOW).toString('latin1'));
  if (!head) return { ok: false, problem: 'not-a-pdf', detail: 'no %PDF- header in the first 1 KiB' };
  const tail = bytes.subarray(Math.max(0, bytes.length - TAIL_WINDOW)).toString('latin1');
  if (!tail.includes('%%EOF')) {
    return { ok: false, problem: 'truncated', detail: 'no %%EOF marker in the last 1 KiB (the file is truncated or damaged)' };
  }
  const startxref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail) ?? /startxref\s+(\d+)/.exec(tail);
  if (!startxref) {
    return { ok: false, problem: 'no-startxref', detail: 'no startxref before %%EOF (the cross-reference section is missing)' };
  }
  const text = bytes.toString('latin1');
  const trailer = trailerAt(text, Number(startxref[1]));
  // An offset that points nowhere is common in repaired files: then look at every trailer-like dictionary instead.
  const encrypted = trailer
    ? ENCRYPT_ENTRY.test(trailer)
    : [...text.matchAll(/trailer\s*<<[\s\S]{0,4096}?>>|\/Type\s*\/XRef[\s\S]{0,4096}?stream/g)].some((m) => ENCRYPT_ENTRY.test(m[0]));
  if (encrypted) {
    return {
      ok: false,
      problem: 'encrypted',
      detail: 'the PDF is encrypted or password-protected (/Encrypt in its trailer); it can be neither read nor archived',
    };
  }
  return { ok: true, facts: { version: head[1]!, encrypted: false, revisions: text.split('%%EOF').length - 1 } };
}
