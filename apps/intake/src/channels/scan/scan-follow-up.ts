import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { EventTypes, Topics, type AttachmentRefDto, type CaseEvidenceAddedV1, type ChannelDto } from '@poststelle/contracts';
import { addToOutbox } from '@poststelle/messaging';
import { type BlobStore } from '@poststelle/persistence';
import { BLOB_STORE } from '@poststelle/platform';
import { assessWrittenForm, INTAKE_SETTINGS, type IntakeSettings } from '../../core';
import { ScanRepository } from './scan.repository';
import { scanEvidence, type CaseTarget, type ScanDocumentFacts } from './scan-rules';

/** Attaching a scanned document to an existing case: found by intake, or decided by a clerk. */
@Injectable()
export class ScanFollowUp {
  constructor(
    private readonly repo: ScanRepository,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(INTAKE_SETTINGS) private readonly settings: IntakeSettings,
  ) {}

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
}
