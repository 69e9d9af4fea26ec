import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { type Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { BlobTooLargeError, type BlobStore } from '@poststelle/persistence';
import { BLOB_STORE } from '@poststelle/platform';
import { Logger } from '@poststelle/telemetry';
import { INTAKE_SETTINGS, type IntakeError, type IntakeSettings, isInputRejection, type ReadScope, sha512Hex, UNSCOPED } from '../../core';
import { INDEX_SEAL_PORT, OCR_PORT, type IndexSeal, type IndexSealPort, type OcrPort } from './scan.ports';
import { parseScanIndex, type ScanIndexDocumentDto, type ScanIndexDto } from './scan-index';
import { ScanRepository, type ScanBatchRow } from './scan.repository';
import { sealVerdict, type SealVerdict } from './scan-rules';
import { scanFail as fail } from './scan-outcome';
import { discard, putUpload } from './scan-upload.stream';
import { scanApplicationForm, withWorkFile } from './scan-work-file';
import { ScanErrorCode } from './scan.exception';

/**
 * The paper-scan channel's intake of a batch: index (XML, `scan-index.xsd`) + documents (PDF/TIFF). The index is
 * validated once (and its seal verified); each document is streamed to the blob store, hash-checked against the
 * index and inspected (encrypted, truncated). Processing follows in ProcessScanBatchUseCase.
 */
@Injectable()
export class ScanBatchIntakeUseCase {
  private readonly log = new Logger('ScanIntake');

  constructor(
    private readonly repo: ScanRepository,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(OCR_PORT) private readonly ocr: OcrPort,
    @Inject(INDEX_SEAL_PORT) private readonly seals: IndexSealPort,
    @Inject(INTAKE_SETTINGS) private readonly settings: IntakeSettings,
  ) {}

  /**
   * Takes a batch index and the scan centre's seal over it (detached CMS signature, optional unless
   * `SCAN_REQUIRE_SEALED_INDEX`). The seal is verified first and recorded on the batch; a refused index is kept
   * (blob + rejected batch row, seal included) and the error thrown.
   */
  async createBatch(input: {
    index: Buffer;
    seal?: Buffer;
    source: 'http' | 'drop-folder';
    dropFolder?: string;
    /** The scan-centre client (its `paper` channel checked by the controller), or `scan-drop-folder`. */
    submittedBy: string;
  }): Promise<{ batch: ScanBatchRow; created: boolean }> {
    const { index: indexBytes, source, dropFolder } = input;
    const stored = await this.blobs.put(indexBytes);
    const sealBlob = input.seal ? await this.blobs.put(input.seal) : undefined;
    const indexSeal: IndexSeal = {
      ...(await this.seals.verify(indexBytes, input.seal)),
      ...(sealBlob ? { sealSha512: sealBlob.sha512 } : {}),
    };
    let index: ScanIndexDto;
    try {
      const verdict = sealVerdict(indexSeal, this.settings.scan.requireSealedIndex);
      if (verdict) throw this.sealRefusal(verdict, indexSeal);
      index = await parseScanIndex(indexBytes, this.settings.scan);
      for (const [i, d] of index.documents.entries()) scanApplicationForm(d, i);
    } catch (error) {
      if (isInputRejection(error)) {
        const { batch } = await this.repo.createBatch({
          source,
          indexSha512: stored.sha512,
          indexSeal,
          status: 'rejected',
          reasonCode: error.code,
          reason: error.message,
          ...(dropFolder ? { dropFolder } : {}),
          submittedBy: input.submittedBy,
        });
        this.log.info('scan batch refused', { batchId: batch.batchId, code: error.code, source });
        error.extensions['batchId'] = batch.batchId;
        error.extensions['indexSha512'] = stored.sha512;
      }
      throw error;
    }
    const result = await this.repo.createBatch({
      source,
      indexSha512: stored.sha512,
      index,
      indexSeal,
      status: 'awaiting-documents',
      ...(dropFolder ? { dropFolder } : {}),
      submittedBy: input.submittedBy,
    });
    if (result.created) {
      this.log.info('scan batch announced', {
        batchId: result.batch.batchId,
        documents: index.documents.length,
        source,
        sealed: indexSeal.sealed,
        sealValid: indexSeal.valid,
        sealTrusted: indexSeal.trusted,
      });
    }
    return result;
  }

  private sealRefusal(verdict: SealVerdict, seal: IndexSeal): IntakeError {
    const field = { field: 'indexSignature', message: seal.reason ?? verdict };
    switch (verdict) {
      case 'missing':
        return fail(ScanErrorCode.IndexSealMissing, 'the batch index must be sealed by the scan centre (detached CMS signature)', [
          { field: 'indexSignature', message: 'required: a detached CMS (PKCS#7) signature over the index bytes' },
        ]);
      case 'invalid':
        return fail(
          ScanErrorCode.IndexSealInvalid,
          seal.reason === 'bad-signature'
            ? 'the seal does not match the index: the index was altered after sealing, or the seal belongs to another index'
            : `the seal cannot be read as a CMS SignedData (${seal.reason ?? 'malformed'})`,
          [field],
        );
      case 'untrusted':
        return fail(
          ScanErrorCode.IndexSealUntrusted,
          seal.reason === 'certificate-expired'
            ? 'the seal is intact, but the scan-centre certificate (or its chain) is outside its validity'
            : 'the seal is intact, but its signer does not chain to a trusted scan-centre certificate',
          [field],
        );
    }
  }

  /** Streams one document of a batch into the blob store, checks it against the index and inspects it. */
  async uploadDocument(
    batchId: string,
    documentId: string,
    body: Readable,
    scope: ReadScope = UNSCOPED,
  ): Promise<{ sha512: string; sizeBytes: number; batchStatus: string }> {
    const batch = await this.repo.findBatch(batchId, scope);
    if (!batch) {
      discard(body);
      throw fail(ScanErrorCode.BatchNotFound, `no scan batch ${batchId}`);
    }
    if (batch.status !== 'awaiting-documents' || !batch.index) {
      discard(body);
      throw fail(ScanErrorCode.BatchState, `the batch is ${batch.status}; uploads are closed`);
    }
    const doc = batch.index.documents.find((d) => d.documentId === documentId);
    if (!doc) {
      discard(body);
      throw fail(ScanErrorCode.DocumentUnknown, `document ${documentId} is not listed in the batch index`);
    }
    let stored;
    try {
      stored = await putUpload(this.blobs, body, this.settings.scan.documentMaxBytes);
    } catch (error) {
      if (error instanceof BlobTooLargeError) {
        throw fail(ScanErrorCode.DocumentTooLarge, `document ${documentId} exceeds ${error.maxBytes} bytes`);
      }
      throw error;
    }
    if (stored.sha512 !== doc.sha512) {
      // The bytes stay in the blob store (kept); the document stays pending.
      throw fail(ScanErrorCode.DocumentHashMismatch, `document ${documentId}: the bytes do not match the sha512 in the index`, [
        { field: `documents[${documentId}].sha512`, message: `received content has sha512 ${stored.sha512}` },
      ]);
    }
    await this.inspect(stored.sha512, doc);
    const recorded = await this.repo.recordUpload(batchId, documentId, stored.sizeBytes, this.settings.scan.batchMaxBytes);
    if ('tooLarge' in recorded) {
      throw fail(
        ScanErrorCode.BatchTooLarge,
        `the batch would hold ${recorded.tooLarge} bytes; the limit is ${this.settings.scan.batchMaxBytes}`,
      );
    }
    if (recorded.status === 'ready') this.log.info('scan batch complete', { batchId });
    return { sha512: stored.sha512, sizeBytes: stored.sizeBytes, batchStatus: recorded.status };
  }

  /** Media type by magic bytes; PDFs: truncation (no %%EOF), encryption, readability and the page count. */
  private async inspect(sha512: string, doc: ScanIndexDocumentDto): Promise<void> {
    await withWorkFile(this.blobs, sha512, doc.mediaType, async (path) => {
      const file = await open(path, 'r');
      const size = (await file.stat()).size;
      const head = Buffer.alloc(8);
      const tail = Buffer.alloc(Math.min(2048, size));
      await file.read(head, 0, 8, 0);
      await file.read(tail, 0, tail.length, Math.max(0, size - tail.length));
      await file.close();
      const isPdf = head.subarray(0, 5).toString('latin1') === '%PDF-';
      const isTiff =
        head.subarray(0, 4).equals(Buffer.from('II*\0', 'latin1')) || head.subarray(0, 4).equals(Buffer.from('MM\0*', 'latin1'));
      if ((doc.mediaType === 'application/pdf' && !isPdf) || (doc.mediaType === 'image/tiff' && !isTiff)) {
        throw fail(
          ScanErrorCode.UnsupportedMedia,
          `document ${doc.documentId} is not a ${doc.mediaType === 'application/pdf' ? 'PDF' : 'TIFF'} file`,
        );
      }
      if (!isPdf) return;
      if (!tail.toString('latin1').includes('%%EOF')) {
        throw fail(ScanErrorCode.PdfDamaged, `document ${doc.documentId} is truncated: the PDF has no end-of-file marker`);
      }
      const inspection = await this.ocr.inspectPdf(path);
      if (inspection.problem === 'encrypted') {
        throw fail(ScanErrorCode.PdfEncrypted, `document ${doc.documentId}: ${inspection.detail ?? 'encrypted'}; deliver it unencrypted`);
      }
      if (inspection.problem) throw fail(ScanErrorCode.PdfDamaged, `document ${doc.documentId}: ${inspection.detail ?? 'damaged'}`);
      if (inspection.pageCount !== doc.pageCount) {
        throw fail(
          ScanErrorCode.PageCountMismatch,
          `document ${doc.documentId} has ${inspection.pageCount} page(s); the index says ${doc.pageCount}`,
        );
      }
    });
  }

  /** For the drop folder: the document file itself, streamed like an upload. */
  async uploadLocalDocument(batchId: string, documentId: string, path: string): Promise<void> {
    await this.uploadDocument(batchId, documentId, createReadStream(path));
  }

  static indexSha512(bytes: Buffer): string {
    return sha512Hex(bytes);
  }
}
