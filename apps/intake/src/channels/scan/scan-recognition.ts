import { createReadStream } from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import { type BlobStore } from '@poststelle/persistence';
import { BLOB_STORE } from '@poststelle/platform';
import { Logger } from '@poststelle/telemetry';
import { INTAKE_SETTINGS, type IntakeSettings } from '../../core';
import { BARCODE_PORT, OCR_PORT, type BarcodePort, type OcrPort } from './scan.ports';
import { type ScanIndexDocumentDto, type ScanIndexDto } from './scan-index';
import { type ScanBatchRow } from './scan.repository';
import { type ScanDocumentFacts } from './scan-rules';
import { withWorkFile, scanApplicationForm } from './scan-work-file';

/** OCR, PDF/A and barcodes of one scanned document: the facts classification works on. */
@Injectable()
export class ScanRecognition {
  private readonly log = new Logger('ScanIntake');

  constructor(
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(OCR_PORT) private readonly ocr: OcrPort,
    @Inject(BARCODE_PORT) private readonly barcodes: BarcodePort,
    @Inject(INTAKE_SETTINGS) private readonly settings: IntakeSettings,
  ) {}

  /** OCR (when needed), PDF/A and original into the blob store, barcodes from the first page. */
  async recognise(batch: ScanBatchRow, index: ScanIndexDto, doc: ScanIndexDocumentDto, position: number): Promise<ScanDocumentFacts> {
    const form = scanApplicationForm(doc, position);
    return withWorkFile(this.blobs, doc.sha512, doc.mediaType, async (input, dir) => {
      const ocr = await this.ocr.recognise(input, doc.mediaType, dir, index.resolutionDpi);
      const attachments: ScanDocumentFacts['attachments'] = [];
      if (ocr.pdfaPath) {
        const pdfa = await this.blobs.putStream(createReadStream(ocr.pdfaPath), this.settings.scan.documentMaxBytes * 4);
        const base = doc.fileName.replace(/\.[^.]*$/, '');
        attachments.push({
          attachmentId: `${doc.documentId}-pdfa`,
          fileName: `${base}.pdfa.pdf`,
          mediaType: 'application/pdf',
          sha512: pdfa.sha512,
          purpose: 'form',
        });
      }
      attachments.push({
        attachmentId: `${doc.documentId}-original`,
        fileName: doc.fileName,
        mediaType: doc.mediaType,
        sha512: doc.sha512,
        purpose: ocr.pdfaPath ? 'attachment' : 'form',
      });
      let found: string[] = [];
      try {
        found = await this.barcodes.readFirstPage(ocr.pdfaPath ?? input, dir);
      } catch (error) {
        // Barcodes only help classification; without them the form id and the text still count.
        this.log.warn('barcode reading failed', { batchId: batch.batchId, documentId: doc.documentId, error: (error as Error).message });
      }
      return {
        index,
        indexSha512: batch.indexSha512,
        ...(batch.indexSeal ? { indexSeal: batch.indexSeal } : {}),
        document: doc,
        documentSha512: doc.sha512,
        pageCount: ocr.pageCount,
        textSource: ocr.textSource,
        text: ocr.text.slice(0, 200_000),
        barcodes: [...new Set([...(doc.barcodes ?? []), ...found])],
        ...(form ? { form } : {}),
        attachments,
      };
    });
  }
}
