import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  ContractValidationError,
  EventTypes,
  Topics,
  type AttachmentRefDto,
  type CaseEvidenceAddedV1,
  type ChannelDto,
  type FieldError,
  type ScanClassificationRequiredV1,
  caseReferenceOf,
} from '@poststelle/contracts';
import { MessagingRuntime, addToOutbox } from '@poststelle/messaging';
import { BlobTooLargeError, type BlobStore } from '@poststelle/persistence';
import { BLOB_STORE } from '@poststelle/platform';
import { Logger } from '@poststelle/telemetry';
import {
  AcceptSubmissionUseCase,
  type ApplicationForm,
  applicationFormOf,
  assessWrittenForm,
  INTAKE_SETTINGS,
  IntakeErrorCode,
  IntakeException,
  type IntakeSettings,
  isInputRejection,
  parseJsonFormData,
  type ReadScope,
  sha512Hex,
  type Submitter,
  UNSCOPED,
  SubmissionCommand,
} from '../../core';
import {
  BARCODE_PORT,
  INDEX_SEAL_PORT,
  OCR_PORT,
  ToolFailedError,
  type BarcodePort,
  type IndexSeal,
  type IndexSealPort,
  type OcrPort,
} from './scan.ports';
import { parseScanIndex, type ScanIndexDocumentDto, type ScanIndexDto } from './scan-index';
import { ScanRepository, type ScanBatchRow, type ScanDocumentRow } from './scan.repository';
import {
  buildScanSubmission,
  classifyDocument,
  resolveCaseReference,
  scanEvidence,
  sealVerdict,
  unknownCaseReferenceReview,
  type CaseTarget,
  type ManualReview,
  type ScanDocumentFacts,
  type SealVerdict,
} from './scan-rules';

/**
 * Cases from a batch are handed in by the client that delivered it (its `paper` channel checked on arrival); the
 * seal facts are intake's own, and paper asserts nothing about the applicant.
 */
export const scanSubmitter = (batchSubmittedBy: string | null): Submitter => ({ id: batchSubmittedBy ?? 'scan-centre', mayAssert: [] });

const fail = (code: IntakeErrorCode, message: string, errors?: FieldError[]) =>
  new IntakeException(code, message, errors ? { errors } : {});

export const scanFail = fail;

export interface DocumentOutcome {
  documentId: string;
  status: ScanDocumentRow['status'];
  caseId?: string;
  caseReference?: string;
  itemId?: string;
  reasonCode?: string;
  reason?: string;
}

/**
 * The paper-scan channel: a batch = index (XML, `scan-index.xsd`) + documents (PDF/TIFF). The index is validated
 * once; each document is streamed to the blob store, hash-checked against the index and inspected (encrypted,
 * truncated); once all are in, the processor OCRs, classifies and turns each into a case, a follow-up on an
 * existing case, or an item in the manual-classification queue.
 */
@Injectable()
export class ScanIntakeUseCase {
  private readonly log = new Logger('ScanIntake');

  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: ScanRepository,
    private readonly accept: AcceptSubmissionUseCase,
    private readonly messaging: MessagingRuntime,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(OCR_PORT) private readonly ocr: OcrPort,
    @Inject(BARCODE_PORT) private readonly barcodes: BarcodePort,
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
      for (const [i, d] of index.documents.entries()) this.applicationForm(d, i);
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

  private sealRefusal(verdict: SealVerdict, seal: IndexSeal): IntakeException {
    const field = { field: 'indexSignature', message: seal.reason ?? verdict };
    switch (verdict) {
      case 'missing':
        return fail(IntakeErrorCode.ScanIndexSealMissing, 'the batch index must be sealed by the scan centre (detached CMS signature)', [
          { field: 'indexSignature', message: 'required: a detached CMS (PKCS#7) signature over the index bytes' },
        ]);
      case 'invalid':
        return fail(
          IntakeErrorCode.ScanIndexSealInvalid,
          seal.reason === 'bad-signature'
            ? 'the seal does not match the index: the index was altered after sealing, or the seal belongs to another index'
            : `the seal cannot be read as a CMS SignedData (${seal.reason ?? 'malformed'})`,
          [field],
        );
      case 'untrusted':
        return fail(
          IntakeErrorCode.ScanIndexSealUntrusted,
          seal.reason === 'certificate-expired'
            ? 'the seal is intact, but the scan-centre certificate (or its chain) is outside its validity'
            : 'the seal is intact, but its signer does not chain to a trusted scan-centre certificate',
          [field],
        );
    }
  }

  private applicationForm(d: ScanIndexDocumentDto, i: number): ApplicationForm | undefined {
    if (d.applicationForm === undefined) return undefined;
    const what = `documents[${i}].applicationForm`;
    const form = applicationFormOf(parseJsonFormData(Buffer.from(d.applicationForm, 'utf8'), what));
    if (!form) {
      throw fail(IntakeErrorCode.ScanIndexInvalid, `${what} is not an application form`, [
        { field: what, message: 'must be a JSON object with schemaUri (string) and data (object)' },
      ]);
    }
    return form;
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
      body.resume();
      throw fail(IntakeErrorCode.ScanBatchNotFound, `no scan batch ${batchId}`);
    }
    if (batch.status !== 'awaiting-documents' || !batch.index) {
      body.resume();
      throw fail(IntakeErrorCode.ScanBatchState, `the batch is ${batch.status}; uploads are closed`);
    }
    const doc = batch.index.documents.find((d) => d.documentId === documentId);
    if (!doc) {
      body.resume();
      throw fail(IntakeErrorCode.ScanDocumentUnknown, `document ${documentId} is not listed in the batch index`);
    }
    let stored;
    // Through a PassThrough, so a refused body can still be read to its end and answered cleanly (no reset).
    const pass = new PassThrough();
    body.pipe(pass);
    try {
      stored = await this.blobs.putStream(pass, this.settings.scan.documentMaxBytes);
    } catch (error) {
      body.unpipe(pass);
      if (!body.readableEnded) {
        const ended = new Promise<void>((resolve) =>
          body
            .once('end', resolve)
            .once('error', () => resolve())
            .once('close', resolve),
        );
        body.resume();
        await ended;
      }
      if (error instanceof BlobTooLargeError) {
        throw fail(IntakeErrorCode.ScanDocumentTooLarge, `document ${documentId} exceeds ${error.maxBytes} bytes`);
      }
      throw error;
    }
    if (stored.sha512 !== doc.sha512) {
      // The bytes stay in the blob store (kept); the document stays pending.
      throw fail(IntakeErrorCode.ScanDocumentHashMismatch, `document ${documentId}: the bytes do not match the sha512 in the index`, [
        { field: `documents[${documentId}].sha512`, message: `received content has sha512 ${stored.sha512}` },
      ]);
    }
    await this.inspect(stored.sha512, doc);
    const recorded = await this.repo.recordUpload(batchId, documentId, stored.sizeBytes, this.settings.scan.batchMaxBytes);
    if ('tooLarge' in recorded) {
      throw fail(
        IntakeErrorCode.ScanBatchTooLarge,
        `the batch would hold ${recorded.tooLarge} bytes; the limit is ${this.settings.scan.batchMaxBytes}`,
      );
    }
    if (recorded.status === 'ready') this.log.info('scan batch complete', { batchId });
    return { sha512: stored.sha512, sizeBytes: stored.sizeBytes, batchStatus: recorded.status };
  }

  /** Media type by magic bytes; PDFs: truncation (no %%EOF), encryption, readability and the page count. */
  private async inspect(sha512: string, doc: ScanIndexDocumentDto): Promise<void> {
    await this.withWorkFile(sha512, doc.mediaType, async (path) => {
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
          IntakeErrorCode.ScanUnsupportedMedia,
          `document ${doc.documentId} is not a ${doc.mediaType === 'application/pdf' ? 'PDF' : 'TIFF'} file`,
        );
      }
      if (!isPdf) return;
      if (!tail.toString('latin1').includes('%%EOF')) {
        throw fail(IntakeErrorCode.ScanPdfDamaged, `document ${doc.documentId} is truncated: the PDF has no end-of-file marker`);
      }
      const inspection = await this.ocr.inspectPdf(path);
      if (inspection.problem === 'encrypted') {
        throw fail(
          IntakeErrorCode.ScanPdfEncrypted,
          `document ${doc.documentId}: ${inspection.detail ?? 'encrypted'}; deliver it unencrypted`,
        );
      }
      if (inspection.problem) throw fail(IntakeErrorCode.ScanPdfDamaged, `document ${doc.documentId}: ${inspection.detail ?? 'damaged'}`);
      if (inspection.pageCount !== doc.pageCount) {
        throw fail(
          IntakeErrorCode.ScanPageCountMismatch,
          `document ${doc.documentId} has ${inspection.pageCount} page(s); the index says ${doc.pageCount}`,
        );
      }
    });
  }

  private async withWorkFile<T>(sha512: string, mediaType: string, task: (path: string, dir: string) => Promise<T>): Promise<T> {
    const dir = await mkdtemp(join(tmpdir(), 'ps-scan-'));
    try {
      const path = join(dir, mediaType === 'image/tiff' ? 'input.tif' : 'input.pdf');
      await pipeline(await this.blobs.open(sha512), createWriteStream(path, { flags: 'wx' }));
      return await task(path, dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async view(batchId: string, scope: ReadScope = UNSCOPED) {
    const batch = await this.repo.findBatch(batchId, scope);
    if (!batch) throw fail(IntakeErrorCode.ScanBatchNotFound, `no scan batch ${batchId}`);
    const documents = await this.repo.documents(batchId);
    return {
      batchId: batch.batchId,
      externalBatchId: batch.externalBatchId,
      source: batch.source,
      status: batch.status,
      indexSha512: batch.indexSha512,
      ...(batch.indexSeal ? { indexSeal: batch.indexSeal } : {}),
      ...(batch.reasonCode ? { reasonCode: batch.reasonCode, reason: batch.reason } : {}),
      documents: documents.map((d) => ({
        documentId: d.documentId,
        fileName: d.fileName,
        mediaType: d.mediaType,
        sha512: d.expectedSha512,
        status: d.status,
        ...(d.caseId ? { caseId: d.caseId, caseReference: caseReferenceOf(d.caseId) } : {}),
        ...(d.pdfaSha512 ? { pdfaSha512: d.pdfaSha512 } : {}),
        ...(d.reasonCode ? { reasonCode: d.reasonCode, reason: d.reason } : {}),
        ...(d.classification ? { classification: d.classification } : {}),
      })),
      createdAt: batch.createdAt,
      updatedAt: batch.updatedAt,
    };
  }

  /** Processes every uploaded document of a claimed batch (idempotent: documents already decided are skipped). */
  async processBatch(batch: ScanBatchRow): Promise<DocumentOutcome[]> {
    const index = batch.index;
    if (!index) throw new Error(`scan batch ${batch.batchId} has no index`);
    const rows = await this.repo.documents(batch.batchId);
    const outcomes: DocumentOutcome[] = [];
    for (const [i, doc] of index.documents.entries()) {
      const row = rows.find((r) => r.documentId === doc.documentId);
      if (!row || row.status !== 'uploaded') continue;
      outcomes.push(await this.processDocument(batch, index, doc, i));
    }
    await this.repo.setBatchStatus(batch.batchId, 'processed');
    this.log.info('scan batch processed', { batchId: batch.batchId, documents: outcomes.length });
    return outcomes;
  }

  private async processDocument(
    batch: ScanBatchRow,
    index: ScanIndexDto,
    doc: ScanIndexDocumentDto,
    position: number,
  ): Promise<DocumentOutcome> {
    const reject = async (code: IntakeErrorCode, reason: string): Promise<DocumentOutcome> => {
      await this.repo.setDocumentOutcome(batch.batchId, doc.documentId, { status: 'rejected', reasonCode: code, reason });
      this.log.info('scanned document rejected', { batchId: batch.batchId, documentId: doc.documentId, code });
      return { documentId: doc.documentId, status: 'rejected', reasonCode: code, reason };
    };
    let facts: ScanDocumentFacts;
    try {
      facts = await this.recognise(batch, index, doc, position);
    } catch (error) {
      if (error instanceof ToolFailedError) return reject(IntakeErrorCode.ScanOcrFailed, `text recognition failed: ${error.message}`);
      if (isInputRejection(error)) return reject(error.code, error.message);
      throw error;
    }
    const pdfaSha512 = facts.attachments.find((a) => a.attachmentId.endsWith('-pdfa'))?.sha512;
    try {
      const reference = await resolveCaseReference(doc, facts.barcodes, facts.text, (ref) => this.repo.caseIdsByReference(ref));
      if (reference.kind === 'follow-up') return await this.attachFollowUp(batch, facts, reference.target, pdfaSha512);
      const classification = classifyDocument({
        barcodes: facts.barcodes,
        ...(doc.formId ? { formId: doc.formId } : {}),
        ...(index.tenantArs ? { batchTenantArs: index.tenantArs } : {}),
        text: facts.text,
        rules: await this.repo.rules(),
        threshold: this.settings.scan.classificationThreshold,
      });
      if (reference.kind === 'unknown-reference') {
        return await this.enqueueForClerk(
          batch,
          index,
          facts,
          unknownCaseReferenceReview(reference.references, classification),
          pdfaSha512,
        );
      }
      if (classification.kind === 'manual') return await this.enqueueForClerk(batch, index, facts, classification, pdfaSha512);
      const accepted = await this.accept.execute(
        SubmissionCommand.create({
          body: buildScanSubmission(facts, classification, classification.method),
          idempotencyKey: `scan:${batch.batchId}:${doc.documentId}`,
          requestSha512: facts.documentSha512,
          submitter: scanSubmitter(batch.submittedBy),
          scanSealVerifiedByIntake: true,
        }),
      );
      await this.repo.setDocumentOutcome(batch.batchId, doc.documentId, {
        status: 'case',
        caseId: accepted.caseId,
        classification: {
          method: classification.method,
          confidence: classification.confidence,
          leikaKey: classification.leikaKey,
          tenantArs: classification.tenantArs,
        },
        ...(pdfaSha512 ? { pdfaSha512 } : {}),
      });
      return { documentId: doc.documentId, status: 'case', caseId: accepted.caseId, caseReference: caseReferenceOf(accepted.caseId) };
    } catch (error) {
      if (error instanceof ContractValidationError) {
        return reject(IntakeErrorCode.InvalidSubmission, `the document does not make a valid submission: ${error.message.slice(0, 500)}`);
      }
      if (isInputRejection(error)) {
        if (error.code === IntakeErrorCode.ReplyChannelAmbiguous) {
          return reject(
            IntakeErrorCode.ScanNoReplyChannel,
            "neither e-mail nor postal address: the application form and the index give neither the applicant's e-mail address nor a complete postal address (name, street, postal code, city) to reply to",
          );
        }
        return reject(error.code, error.message);
      }
      throw error;
    }
  }

  /** OCR (when needed), PDF/A and original into the blob store, barcodes from the first page. */
  private async recognise(
    batch: ScanBatchRow,
    index: ScanIndexDto,
    doc: ScanIndexDocumentDto,
    position: number,
  ): Promise<ScanDocumentFacts> {
    const form = this.applicationForm(doc, position);
    return this.withWorkFile(doc.sha512, doc.mediaType, async (input, dir) => {
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

  /** Into the manual-classification queue (announced on `intake.scan.classification.v1`): a clerk decides. */
  private async enqueueForClerk(
    batch: ScanBatchRow,
    index: ScanIndexDto,
    facts: ScanDocumentFacts,
    review: ManualReview,
    pdfaSha512: string | undefined,
  ): Promise<DocumentOutcome> {
    const doc = facts.document;
    const itemId = randomUUID();
    const candidates = review.candidates.slice(0, 5);
    await this.dataSource.transaction(async (m) => {
      const queued = await this.repo.enqueue(m, {
        itemId,
        batchId: batch.batchId,
        documentId: doc.documentId,
        confidence: review.confidence,
        reasonCode: review.reasonCode,
        reason: review.reason,
        candidates,
        facts,
        textExcerpt: facts.text.slice(0, 4000),
      });
      if (!queued) return;
      await addToOutbox<ScanClassificationRequiredV1>(m, {
        topic: Topics.intakeScanClassification,
        key: itemId,
        type: EventTypes.scanClassificationRequired,
        payload: {
          itemId,
          batchId: batch.batchId,
          externalBatchId: index.batchId,
          documentId: doc.documentId,
          documentSha512: facts.documentSha512,
          confidence: review.confidence,
          reasonCode: review.reasonCode,
          reason: review.reason,
          candidates,
          queuedAt: new Date().toISOString(),
        },
        correlationId: itemId,
        // Not known yet (that is what the clerk decides): the batch's authority, else the first candidate's.
        tenant: index.tenantArs ?? candidates.find((c) => c.tenantArs)?.tenantArs ?? 'unclassified',
      });
      await this.repo.setDocumentOutcome(
        batch.batchId,
        doc.documentId,
        {
          status: 'classification-required',
          reasonCode: review.reasonCode,
          reason: review.reason,
          classification: { confidence: review.confidence, candidates, itemId },
          ...(pdfaSha512 ? { pdfaSha512 } : {}),
        },
        m,
      );
    });
    this.messaging.relay.nudge();
    this.log.info('scanned document queued for manual classification', {
      batchId: batch.batchId,
      documentId: doc.documentId,
      itemId,
      reasonCode: review.reasonCode,
    });
    return { documentId: doc.documentId, status: 'classification-required', itemId, reasonCode: review.reasonCode };
  }

  /**
   * A scan referencing an existing case is attached to it: a timeline event, and `case.evidence-added` on
   * `cases.evidence.v1` so routing can release a case held for the written form.
   */
  private async attachFollowUp(
    batch: ScanBatchRow,
    facts: ScanDocumentFacts,
    target: CaseTarget,
    pdfaSha512: string | undefined,
  ): Promise<DocumentOutcome> {
    const doc = facts.document;
    await this.dataSource.transaction((m) => this.recordFollowUp(m, batch.batchId, facts, target, pdfaSha512));
    this.messaging.relay.nudge();
    this.log.info('scanned document attached to case as follow-up', {
      batchId: batch.batchId,
      documentId: doc.documentId,
      caseId: target.caseId,
    });
    return { documentId: doc.documentId, status: 'follow-up', caseId: target.caseId, caseReference: caseReferenceOf(target.caseId) };
  }

  /**
   * The one follow-up path of the scan channel, for a reference found by intake and for a clerk's decision alike,
   * inside the caller's transaction: the `scan.follow-up` timeline row, `case.evidence-added` (outbox; the written
   * form is met by a handwritten signature) and the document's outcome.
   */
  async recordFollowUp(
    m: EntityManager,
    batchId: string,
    facts: ScanDocumentFacts,
    target: CaseTarget,
    pdfaSha512: string | undefined,
    clerk?: { itemId: string; resolvedBy: string },
  ): Promise<void> {
    const refs: AttachmentRefDto[] = [];
    for (const a of facts.attachments) {
      const stored = await this.blobs.has(a.sha512);
      if (stored) refs.push({ ...a, sizeBytes: stored.sizeBytes, blobRef: stored.blobRef });
    }
    const channel = { kind: 'scan', scan: scanEvidence(facts, 'manual') } as unknown as ChannelDto;
    const writtenForm = assessWrittenForm(channel, 'none', {
      unsealedScanSignatures: this.settings.scan.unsealedSignaturesSatisfyWrittenForm,
      scanSealVerifiedByIntake: true,
    });
    const doc = facts.document;
    await this.repo.addTimeline(m, target.caseId, 'scan.follow-up', {
      batchId,
      externalBatchId: facts.index.batchId,
      documentId: doc.documentId,
      documentSha512: facts.documentSha512,
      handwrittenSignature: doc.handwrittenSignature,
      writtenForm: writtenForm.means,
      attachments: refs.map((r) => r.sha512),
      ...(clerk ? { via: 'classification-queue', itemId: clerk.itemId, resolvedBy: clerk.resolvedBy } : {}),
    });
    await addToOutbox<CaseEvidenceAddedV1>(m, {
      topic: Topics.casesEvidence,
      key: target.caseId,
      type: EventTypes.caseEvidenceAdded,
      payload: { caseId: target.caseId, channel: 'scan', writtenForm, attachments: refs, receivedAt: new Date().toISOString() },
      correlationId: target.caseId,
      tenant: target.tenantArs,
    });
    await this.repo.setDocumentOutcome(
      batchId,
      doc.documentId,
      {
        status: 'follow-up',
        caseId: target.caseId,
        ...(pdfaSha512 ? { pdfaSha512 } : {}),
        ...(clerk ? { classification: { method: 'manual', resolution: 'follow-up', itemId: clerk.itemId } } : {}),
      },
      m,
    );
  }

  /** For the drop folder: the document file itself, streamed like an upload. */
  async uploadLocalDocument(batchId: string, documentId: string, path: string): Promise<void> {
    await this.uploadDocument(batchId, documentId, createReadStream(path));
  }

  static indexSha512(bytes: Buffer): string {
    return sha512Hex(bytes);
  }
}
