import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { caseReferenceOf } from '@poststelle/contracts';
import { MessagingRuntime } from '@poststelle/messaging';
import { pageOf, type PageRequest } from '@poststelle/platform';
import { Logger } from '@poststelle/telemetry';
import { AcceptSubmissionUseCase, coversTenant, IntakeErrorCode, IntakeException, type ReadScope, SubmissionCommand } from '../../core';
import { ClassificationRepository, type QueueResolution } from './classification.repository';
import { type ScanResolution } from './resolve-classification.request';
import { ScanFollowUp } from './scan-follow-up';
import { scanFail, scanSubmitter } from './scan-outcome';
import { type CaseTarget, type ScanDocumentFacts } from './scan-rules';
import { buildScanSubmission } from './scan-submission';
import { ScanRepository } from './scan.repository';
import { ScanErrorCode, ScanException } from './scan.exception';

/** The manual-classification queue of the paper-scan channel: listed and decided by clerks, within their tenants. */
@Injectable()
export class ResolveClassificationUseCase {
  private readonly log = new Logger('ScanClassification');

  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: ScanRepository,
    private readonly classification: ClassificationRepository,
    private readonly accept: AcceptSubmissionUseCase,
    private readonly followUps: ScanFollowUp,
    private readonly messaging: MessagingRuntime,
  ) {}

  /** One page of the queue, oldest first. */
  async queue(status: 'open' | 'resolved' | 'all', scope: ReadScope, page: PageRequest) {
    const rows = await this.classification.queue(status, scope, page);
    return pageOf(
      rows,
      page.limit,
      (r) => [r.cursorAt, r.itemId],
      ({ cursorAt: _, ...item }) => item,
    );
  }

  /**
   * A clerk decides a queued document: a new case for a tenant and service (created in the same transaction), or a
   * follow-up on an existing case named by reference or id (the same path as a follow-up found by intake). Within
   * the clerk's scope only: another tenant's item is not there (404), a new case goes to one of the clerk's tenants
   * (403 otherwise), a follow-up to a case the clerk can see.
   */
  async resolve(
    itemId: string,
    resolution: ScanResolution,
    actor: string,
    scope: ReadScope,
  ): Promise<{ itemId: string; resolution: QueueResolution; caseId: string; caseReference: string }> {
    const caseId = await this.dataSource.transaction(async (m) => {
      const item = await this.classification.lockQueueItem(m, itemId, scope);
      if (!item) throw scanFail(ScanErrorCode.QueueItemNotFound, `no classification queue item ${itemId}`);
      if (item.status !== 'open') {
        throw new ScanException(
          ScanErrorCode.QueueItemResolved,
          `the item was already resolved (${item.resolution ?? 'new-case'}, case ${item.caseId})`,
          { caseId: item.caseId, resolution: item.resolution, resolvedBy: item.resolvedBy },
        );
      }
      const facts = item.facts as ScanDocumentFacts;
      if (resolution.resolution === 'follow-up') {
        const target = await this.existingCase(m, resolution, scope);
        const pdfaSha512 = facts.attachments.find((a) => a.attachmentId.endsWith('-pdfa'))?.sha512;
        await this.followUps.recordFollowUp(m, item.batchId, facts, target, pdfaSha512, { itemId, resolvedBy: actor });
        await this.classification.resolveQueueItem(m, itemId, { caseId: target.caseId, resolvedBy: actor, resolution: 'follow-up' });
        return target.caseId;
      }
      const target = { tenantArs: resolution.tenantArs, leikaKey: resolution.leikaKey };
      if (!coversTenant(scope, target.tenantArs)) {
        throw new IntakeException(IntakeErrorCode.TenantNotAllowed, `tenant ${target.tenantArs} is not one of yours`, {
          errors: [{ field: 'tenantArs', message: 'must be one of your tenants' }],
        });
      }
      const accepted = await this.accept.executeIn(
        m,
        SubmissionCommand.create({
          body: buildScanSubmission(facts, target, 'manual'),
          idempotencyKey: `scan:${item.batchId}:${item.documentId}`,
          requestSha512: facts.documentSha512,
          submitter: scanSubmitter(item.batchSubmittedBy),
          scanSealVerifiedByIntake: true,
        }),
      );
      await this.classification.resolveQueueItem(m, itemId, { caseId: accepted.caseId, resolvedBy: actor, resolution: 'new-case' });
      await this.repo.setDocumentOutcome(
        item.batchId,
        item.documentId,
        { status: 'case', caseId: accepted.caseId, classification: { method: 'manual', resolution: 'new-case', ...target, itemId } },
        m,
      );
      return accepted.caseId;
    });
    this.messaging.relay.nudge();
    this.log.info('classification queue item resolved', { itemId, resolution: resolution.resolution, caseId });
    return { itemId, resolution: resolution.resolution, caseId, caseReference: caseReferenceOf(caseId) };
  }

  /** The existing case a clerk named; an unknown id or reference, or a reference shared by two cases, is refused. */
  private async existingCase(
    m: EntityManager,
    r: Extract<ScanResolution, { resolution: 'follow-up' }>,
    scope: ReadScope,
  ): Promise<CaseTarget> {
    if ('caseId' in r) {
      const found = await this.repo.caseById(m, r.caseId, scope);
      if (!found) {
        throw scanFail(ScanErrorCode.ResolutionCaseUnknown, `no case ${r.caseId}`, [
          { field: 'caseId', message: 'names no existing case' },
        ]);
      }
      return found;
    }
    const [found, ...more] = await this.repo.caseIdsByReference(r.caseReference, m, scope);
    if (!found) {
      throw scanFail(ScanErrorCode.ResolutionCaseUnknown, `no case has the reference ${r.caseReference}`, [
        { field: 'caseReference', message: 'names no existing case' },
      ]);
    }
    if (more.length > 0) {
      throw scanFail(ScanErrorCode.ResolutionCaseAmbiguous, `the reference ${r.caseReference} names more than one case; give the caseId`, [
        { field: 'caseReference', message: 'names more than one case' },
      ]);
    }
    return found;
  }
}
