import { Controller, Get, Inject, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { FormDataIntegrityError, loadFormContent, type CaseV1, caseReferenceOf } from '@poststelle/contracts';
import { MessagingRuntime } from '@poststelle/messaging';
import { type BlobStore } from '@poststelle/persistence';
import { BLOB_STORE, CurrentPrincipal, Permission, type Principal } from '@poststelle/platform';
import { Logger } from '@poststelle/telemetry';
import { IntakeErrorCode, IntakeException, readScopeOf } from '../core';
import { CasesRepository } from './cases.repository';
import { SearchCasesUseCase } from './search-cases.use-case';

/**
 * `GET /v1/cases/{caseId}`: the canonical case and where it went (routing, fee, e-file, invoice). A case of a tenant
 * the caller does not act for answers 404 exactly like one that does not exist (ADR 0016).
 */
@Controller('v1')
export class CasesController {
  private readonly log = new Logger('Cases');

  constructor(
    private readonly cases: CasesRepository,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    private readonly messaging: MessagingRuntime,
    private readonly searchCases: SearchCasesUseCase,
  ) {}

  /**
   * `GET /v1/cases`: the caller's tenants' cases matching every filter given, newest first, one page at a time
   * (keyset cursor). A channel client cannot search (it has no `case:read`; ADR 0016).
   */
  @Permission('case:read')
  @Get('cases')
  search(@Query() query: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    return this.searchCases.execute(query, principal);
  }

  @Permission('case:read')
  @Get('cases/:caseId')
  async get(@Param('caseId', new ParseUUIDPipe({ version: '4' })) caseId: string, @CurrentPrincipal() principal: Principal | undefined) {
    const row = await this.cases.findCase(caseId, readScopeOf(principal));
    if (!row) throw new IntakeException(IntakeErrorCode.CaseNotFound, `no case ${caseId}`);
    const timeline = await this.cases.timeline(caseId);
    const routed = row.status === 'routed' ? timeline.find((t) => t.event_type === 'case.routed') : undefined;
    // Events of this case that intake could not publish (parked outbox rows): the case says so until an operator acts.
    const parked = await this.messaging.repair.listParked({ key: caseId, state: 'parked' });
    return {
      caseId,
      caseReference: caseReferenceOf(caseId),
      submissionId: row.submissionId,
      receivedAt: row.receivedAt,
      status: row.status,
      routedTo: routed ? routed.summary : null,
      ...(await this.withFormContent(row.canonical)),
      timeline: timeline.map((t) => ({ type: t.event_type, topic: t.topic, at: t.occurred_at, ...t.summary })),
      ...(parked.length > 0
        ? {
            publicationProblems: parked.map((p) => ({
              seq: p.seq,
              eventType: p.eventType,
              topic: p.topic,
              reasonCode: p.reasonCode,
              reason: p.reason,
              parkedAt: p.parkedAt,
              repair: `/v1/ops/outbox/parked/${p.heldBehind ?? p.seq}`,
            })),
          }
        : {}),
    };
  }

  /**
   * The case as stored (and published); form data held in the blob store (`contentRef`) is read back, verified
   * against its hash and shown inline next to its reference. If it cannot be, the case is shown with the reference
   * and `formDataProblem` says why.
   */
  private async withFormContent(kase: CaseV1): Promise<{ case: CaseV1; formDataProblem?: { code: string; message: string } }> {
    if (!kase.formData.contentRef) return { case: kase };
    try {
      const content = await loadFormContent(kase.formData, this.blobs);
      return { case: { ...kase, formData: { ...kase.formData, ...(content ? { content } : {}) } } };
    } catch (error) {
      if (!(error instanceof FormDataIntegrityError)) throw error;
      this.log.error('referenced form data unavailable', { caseId: kase.caseId, code: error.code });
      return { case: kase, formDataProblem: { code: error.code, message: error.message } };
    }
  }

  @Permission('submission:read')
  @Get('submissions/:submissionId')
  async submission(
    @Param('submissionId', new ParseUUIDPipe({ version: '4' })) submissionId: string,
    @CurrentPrincipal() principal: Principal | undefined,
  ) {
    const row = await this.cases.findSubmission(submissionId, readScopeOf(principal));
    if (!row) throw new IntakeException(IntakeErrorCode.SubmissionNotFound, `no submission ${submissionId}`);
    return { submissionId: row.submissionId, caseId: row.caseId, channel: row.channel, status: 'accepted', receivedAt: row.receivedAt };
  }
}
