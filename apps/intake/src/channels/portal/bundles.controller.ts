import { randomUUID } from 'node:crypto';
import { Controller, Headers, HttpCode, Post, Req, Res } from '@nestjs/common';
import { type Response } from 'express';
import { DataSource } from 'typeorm';
import { BundleSubmissionV1, ContractValidationError, validateContract, type FieldError } from '@poststelle/contracts';
import { MessagingRuntime } from '@poststelle/messaging';
import { type RawBodyRequest, CurrentPrincipal, Permission, type Principal } from '@poststelle/platform';
import {
  AcceptSubmissionUseCase,
  IntakeErrorCode,
  IntakeException,
  isInputRejection,
  originalOf,
  parseJsonObject,
  receivedBody,
  RejectedInputsRepository,
  sha512Hex,
  submitterOf,
  SubmissionCommand,
} from '../../core';
import { PortalRepository } from './portal.repository';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * `POST /v1/bundles`: a life-event application (Lebenslage), e.g. birth. The applicant enters who they are and how
 * to reply once; each service applied for becomes its own case, routed to its own procedure, all sharing one bundle
 * id. The bundle is accepted whole or not at all (one transaction).
 */
@Controller('v1')
export class BundlesController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accept: AcceptSubmissionUseCase,
    private readonly rejections: RejectedInputsRepository,
    private readonly messaging: MessagingRuntime,
    private readonly portal: PortalRepository,
  ) {}

  @Permission('submission:create')
  @Post('bundles')
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
    const raw = received.bytes;
    let body: Record<string, unknown>;
    try {
      body = parseJsonObject(received);
    } catch (error) {
      if (!(error instanceof IntakeException)) throw error;
      throw await this.rejections.refuse(error, originalOf(received), submitter.id);
    }
    let bundle: BundleSubmissionV1;
    try {
      bundle = validateContract(BundleSubmissionV1, body);
    } catch (error) {
      if (!(error instanceof ContractValidationError)) throw error;
      const rejectionId = await this.rejections.record({
        source: 'http',
        reasonCode: IntakeErrorCode.InvalidSubmission,
        errors: error.errors,
        original: raw,
        submittedBy: submitter.id,
      });
      throw new IntakeException(
        IntakeErrorCode.InvalidSubmission,
        `the bundle is invalid: ${error.errors.length} field(s) failed validation`,
        {
          errors: error.errors,
          rejectionId,
        },
      );
    }
    const key = `bundle:${idempotencyKey ?? sha512Hex(raw)}`;
    const bundleId = randomUUID();
    const { lifeEvent } = bundle;
    const size = bundle.applications.length;
    // Each sub-submission is the shared part plus one application, validated again by the use-case as a SubmissionV1.
    const {
      applications,
      lifeEvent: _lifeEvent,
      ...shared
    } = body as { applications: Record<string, unknown>[]; lifeEvent: string } & Record<string, unknown>;
    const cases = await this.acceptAll(raw, submitter.id, () =>
      this.dataSource.transaction(async (manager) => {
        const accepted = [];
        for (const [i, application] of applications.entries()) {
          accepted.push(
            await this.accept.executeIn(
              manager,
              SubmissionCommand.create({
                body: { ...shared, ...application },
                idempotencyKey: `${key}:${i + 1}`,
                requestSha512: sha512Hex(`${sha512Hex(raw)}:${i + 1}`),
                bundle: { bundleId, lifeEvent, size, position: i + 1 },
                submitter,
              }),
            ),
          );
        }
        return accepted;
      }),
    );
    this.messaging.relay.nudge();
    const replayed = cases.every((c) => c.replayed);
    let id: string = bundleId;
    if (replayed) {
      id = (await this.portal.bundleIdOfCase(cases[0]!.caseId)) ?? bundleId;
      res.setHeader('Idempotent-Replayed', 'true');
    }
    res.location(`/v1/bundles/${id}`);
    return { bundleId: id, lifeEvent, cases: cases.map((c, i) => ({ position: i + 1, caseId: c.caseId, submissionId: c.submissionId })) };
  }

  /** Accepts the sub-cases; a rejection of any of them rejects the bundle, and the original is kept with the reason. */
  private async acceptAll<T>(raw: Buffer, submittedBy: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof ContractValidationError || (isInputRejection(error) && error.code !== IntakeErrorCode.IdempotencyKeyReused)) {
        const errors =
          error instanceof ContractValidationError
            ? error.errors
            : ((error.extensions['errors'] as FieldError[] | undefined) ?? [{ field: '$', message: error.message }]);
        const code = error instanceof ContractValidationError ? IntakeErrorCode.InvalidSubmission : error.code;
        const rejectionId = await this.rejections.record({ source: 'http', reasonCode: code, errors, original: raw, submittedBy });
        throw new IntakeException(code, `the bundle was rejected: ${error.message}`, { errors, rejectionId });
      }
      throw error;
    }
  }
}
