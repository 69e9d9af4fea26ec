/** Ports of the paper-scan channel: document tools (PDF inspection, text, OCR) and barcode reading. */

export type PdfProblem = 'encrypted' | 'damaged';

export interface PdfInspection {
  /** Undefined when the document is fine. */
  problem?: PdfProblem;
  detail?: string;
  pageCount?: number;
}

export interface OcrResult {
  /** Text of the document: from its own text layer, or from OCR. */
  text: string;
  textSource: 'text-layer' | 'ocr';
  /** Path of the PDF/A-2b produced by OCR (absent when the PDF already had a text layer). */
  pdfaPath?: string;
  pageCount: number;
}

export interface OcrPort {
  /** Checks a PDF before it is accepted: encrypted, truncated or unreadable documents are refused. */
  inspectPdf(path: string): Promise<PdfInspection>;
  /**
   * Text of a PDF or TIFF: a PDF with a text layer is read as is; anything else is OCR'd (ocrmypdf + tesseract)
   * into a PDF/A-2b with a text layer in `workDir`.
   */
  recognise(path: string, mediaType: 'application/pdf' | 'image/tiff', workDir: string, resolutionDpi: number): Promise<OcrResult>;
}
export const OCR_PORT = Symbol('OCR_PORT');

export interface BarcodePort {
  /** Contents of every barcode/QR code on the first page of a PDF; empty when there is none. */
  readFirstPage(pdfPath: string, workDir: string): Promise<string[]>;
}
export const BARCODE_PORT = Symbol('BARCODE_PORT');

export class ToolFailedError extends Error {
  constructor(
    readonly tool: string,
    message: string,
  ) {
    super(`${tool}: ${message}`);
    this.name = 'ToolFailedError';
  }
}

/**
 * The scan centre's seal over a batch index (TR-RESISCAN integrity and origin): a detached CMS signature of the
 * index bytes, checked against the scan-centre trust store. Signer data is the scan centre's certificate.
 */
export interface IndexSeal {
  sealed: boolean;
  /** The seal matches the index bytes (the index, and so every document sha512 in it, is unaltered). */
  valid: boolean;
  /** The signer certificate chains to the scan-centre trust store and is within its validity. */
  trusted: boolean;
  /** Why the seal is not valid and trusted; absent when it is. */
  reason?: 'not-sealed' | 'malformed-signature' | 'unsupported' | 'bad-signature' | 'untrusted-chain' | 'certificate-expired';
  signer?: { subject: string; issuer: string; serialNumber: string; notBefore: string; notAfter: string };
  /** sha512 of the seal as delivered (kept in the blob store). */
  sealSha512?: string;
}

export interface IndexSealPort {
  /** Never throws: an unreadable seal is `malformed-signature`; no seal is `not-sealed`. */
  verify(index: Buffer, seal: Buffer | undefined): Promise<IndexSeal>;
}
export const INDEX_SEAL_PORT = Symbol('INDEX_SEAL_PORT');
