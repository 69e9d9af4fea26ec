import { randomUUID } from 'node:crypto';
import { Controller, Headers, HttpCode, Post, Req, Res } from '@nestjs/common';
import { type Response } from 'express';
import { DataSource } from 'typeorm';
import { BundleSubmissionV1, validateContract } from '@poststelle/contracts';
import { MessagingRuntime } from '@poststelle/messaging';
import { type RawBodyRequest, CurrentPrincipal, Permission, type Principal } from '@poststelle/platform';
import {
  AcceptSubmissionUseCase,
  IntakeErrorCode,
  IntakeException,
  RejectedInputsRepository,
  sha512Hex,
  SubmissionCommand,
} from '../../core';
import { invalidInput, keepRefusal, readPortalRequest } from './portal-request';
import { PortalRepository } from './portal.repository';

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
    const { submitter, bytes: raw, body } = await readPortalRequest(this.rejections, req, idempotencyKey, principal);
    let bundle: BundleSubmissionV1;
    try {
      bundle = validateContract(BundleSubmissionV1, body);
    } catch (error) {
      const kept = await keepRefusal(this.rejections, error, raw, submitter.id);
      if (!kept) throw error;
      throw invalidInput('bundle', kept);
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
      const kept = await keepRefusal(this.rejections, error, raw, submittedBy);
      if (!kept) throw error;
      const { errors, rejectionId } = kept;
      const message = `the bundle was rejected: ${(error as Error).message}`;
      throw kept.refusal
        ? kept.refusal.restated(message, { errors, rejectionId })
        : new IntakeException(IntakeErrorCode.InvalidSubmission, message, { errors, rejectionId });
    }
  }
}
