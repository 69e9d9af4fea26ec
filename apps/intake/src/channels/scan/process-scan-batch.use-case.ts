import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ContractValidationError, EventTypes, Topics, type ScanClassificationRequiredV1, caseReferenceOf } from '@poststelle/contracts';
import { MessagingRuntime, addToOutbox } from '@poststelle/messaging';
import { Logger } from '@poststelle/telemetry';
import {
  AcceptSubmissionUseCase,
  INTAKE_SETTINGS,
  IntakeErrorCode,
  isCoreRefusal,
  type IntakeSettings,
  isInputRejection,
  SubmissionCommand,
} from '../../core';
import { ToolFailedError } from './scan.ports';
import { type ScanIndexDocumentDto, type ScanIndexDto } from './scan-index';
import { ScanRepository, type ScanBatchRow } from './scan.repository';
import {
  classifyDocument,
  resolveCaseReference,
  unknownCaseReferenceReview,
  type CaseTarget,
  type ManualReview,
  type ScanDocumentFacts,
} from './scan-rules';
import { buildScanSubmission } from './scan-submission';
import { scanSubmitter, type DocumentOutcome } from './scan-outcome';
import { ScanFollowUp } from './scan-follow-up';
import { ScanRecognition } from './scan-recognition';
import { ScanErrorCode, type ScanRefusalCode } from './scan.exception';

/**
 * Processes a complete batch: each document is recognised (OCR, barcodes), classified and turned into a case, a
 * follow-up on an existing case, or an item in the manual-classification queue.
 */
@Injectable()
export class ProcessScanBatchUseCase {
  private readonly log = new Logger('ScanIntake');

  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: ScanRepository,
    private readonly accept: AcceptSubmissionUseCase,
    private readonly messaging: MessagingRuntime,
    private readonly recognition: ScanRecognition,
    private readonly followUps: ScanFollowUp,
    @Inject(INTAKE_SETTINGS) private readonly settings: IntakeSettings,
  ) {}

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
    const reject = async (code: ScanRefusalCode, reason: string): Promise<DocumentOutcome> => {
      await this.repo.setDocumentOutcome(batch.batchId, doc.documentId, { status: 'rejected', reasonCode: code, reason });
      this.log.info('scanned document rejected', { batchId: batch.batchId, documentId: doc.documentId, code });
      return { documentId: doc.documentId, status: 'rejected', reasonCode: code, reason };
    };
    let facts: ScanDocumentFacts;
    try {
      facts = await this.recognition.recognise(batch, index, doc, position);
    } catch (error) {
      if (error instanceof ToolFailedError) return reject(ScanErrorCode.OcrFailed, `text recognition failed: ${error.message}`);
      if (isInputRejection(error)) return reject(error.code as ScanRefusalCode, error.message);
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
        if (isCoreRefusal(error, IntakeErrorCode.ReplyChannelAmbiguous)) {
          return reject(
            ScanErrorCode.NoReplyChannel,
            "neither e-mail nor postal address: the application form and the index give neither the applicant's e-mail address nor a complete postal address (name, street, postal code, city) to reply to",
          );
        }
        return reject(error.code as ScanRefusalCode, error.message);
      }
      throw error;
    }
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
    await this.dataSource.transaction((m) => this.followUps.recordFollowUp(m, batch.batchId, facts, target, pdfaSha512));
    this.messaging.relay.nudge();
    this.log.info('scanned document attached to case as follow-up', {
      batchId: batch.batchId,
      documentId: doc.documentId,
      caseId: target.caseId,
    });
    return { documentId: doc.documentId, status: 'follow-up', caseId: target.caseId, caseReference: caseReferenceOf(target.caseId) };
  }
}
