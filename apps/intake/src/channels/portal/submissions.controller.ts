import { Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { type Response } from 'express';
import { type RawBodyRequest, CurrentPrincipal, Permission, type Principal } from '@poststelle/platform';
import {
  AcceptSubmissionUseCase,
  IntakeErrorCode,
  IntakeException,
  readScopeOf,
  RejectedInputsRepository,
  sha512Hex,
  SubmissionCommand,
} from '../../core';
import { invalidInput, keepRefusal, readPortalRequest } from './portal-request';

/**
 * `POST /v1/submissions`: the portal API (and any adapter speaking HTTP). The body arrives as raw bytes (main.ts) so
 * the original is kept even when it is not valid JSON, not UTF-8, not JSON at all or over the limit (then without it).
 */
@Controller('v1')
export class SubmissionsController {
  constructor(
    private readonly accept: AcceptSubmissionUseCase,
    private readonly rejections: RejectedInputsRepository,
  ) {}

  @Permission('submission:create')
  @Post('submissions')
  @HttpCode(202)
  async submit(
    @Req() req: RawBodyRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() principal: Principal | undefined,
  ) {
    const { submitter, bytes, body } = await readPortalRequest(this.rejections, req, idempotencyKey, principal);
    const requestSha512 = sha512Hex(bytes);
    try {
      const result = await this.accept.execute(
        SubmissionCommand.create({
          body,
          idempotencyKey: `http:${idempotencyKey ?? requestSha512}`,
          requestSha512,
          submitter,
        }),
      );
      res.location(`/v1/cases/${result.caseId}`);
      if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
      return {
        submissionId: result.submissionId,
        caseId: result.caseId,
        status: 'accepted',
        links: { case: `/v1/cases/${result.caseId}`, submission: `/v1/submissions/${result.submissionId}` },
      };
    } catch (error) {
      const kept = await keepRefusal(this.rejections, error, bytes, submitter.id);
      if (!kept) throw error;
      throw kept.refusal ? kept.refusal.with({ rejectionId: kept.rejectionId }) : invalidInput('submission', kept);
    }
  }

  @Permission('submission:read')
  @Get('rejections/:rejectionId')
  async rejection(
    @Param('rejectionId', new ParseUUIDPipe({ version: '4' })) rejectionId: string,
    @CurrentPrincipal() principal: Principal | undefined,
  ) {
    const found = await this.rejections.find(rejectionId, readScopeOf(principal));
    if (!found) throw new IntakeException(IntakeErrorCode.RejectionNotFound, `no rejected input ${rejectionId}`);
    return found;
  }
}
