import { Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { type Response } from 'express';
import { ContractValidationError, type FieldError } from '@poststelle/contracts';
import { type RawBodyRequest, CurrentPrincipal, Permission, type Principal } from '@poststelle/platform';
import {
  AcceptSubmissionUseCase,
  IntakeErrorCode,
  IntakeException,
  isInputRejection,
  originalOf,
  parseJsonObject,
  readScopeOf,
  receivedBody,
  RejectedInputsRepository,
  sha512Hex,
  submitterOf,
  SubmissionCommand,
} from '../../core';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

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
    if (!principal) throw new Error('a route with a permission runs with a principal');
    const submitter = submitterOf(principal);
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new IntakeException(IntakeErrorCode.InvalidIdempotencyKey, 'Idempotency-Key must be 1-200 visible ASCII characters');
    }
    const received = receivedBody(req);
    const bytes = received.bytes;
    let body: unknown;
    try {
      body = parseJsonObject(received);
    } catch (error) {
      if (!(error instanceof IntakeException)) throw error;
      throw await this.rejections.refuse(error, originalOf(received), submitter.id);
    }
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
      if (error instanceof ContractValidationError) {
        const rejectionId = await this.rejections.record({
          source: 'http',
          reasonCode: IntakeErrorCode.InvalidSubmission,
          errors: error.errors,
          original: bytes,
          submittedBy: submitter.id,
        });
        throw new IntakeException(
          IntakeErrorCode.InvalidSubmission,
          `the submission is invalid: ${error.errors.length} field(s) failed validation`,
          { errors: error.errors, rejectionId },
        );
      }
      if (isInputRejection(error) && error.code !== IntakeErrorCode.IdempotencyKeyReused) {
        const errors = (error.extensions['errors'] as FieldError[] | undefined) ?? [{ field: '$', message: error.message }];
        const rejectionId = await this.rejections.record({
          source: 'http',
          reasonCode: error.code,
          errors,
          original: bytes,
          submittedBy: submitter.id,
        });
        throw new IntakeException(error.code as IntakeErrorCode, error.message, { ...error.extensions, rejectionId });
      }
      throw error;
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
