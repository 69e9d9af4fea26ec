import { Injectable } from '@nestjs/common';
import { caseReferenceOf } from '@poststelle/contracts';
import { type ReadScope, UNSCOPED } from '../../core';
import { ScanRepository } from './scan.repository';
import { scanFail as fail } from './scan-outcome';
import { ScanErrorCode } from './scan.exception';

/** The read model of one scan batch and its documents (GET /v1/scan/batches/{id}), within the caller's scope. */
@Injectable()
export class ScanBatchQuery {
  constructor(private readonly repo: ScanRepository) {}

  async view(batchId: string, scope: ReadScope = UNSCOPED) {
    const batch = await this.repo.findBatch(batchId, scope);
    if (!batch) throw fail(ScanErrorCode.BatchNotFound, `no scan batch ${batchId}`);
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
}
