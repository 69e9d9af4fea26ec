import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  CaseV1,
  EventTypes,
  SubmissionV1,
  Topics,
  formDataBytes,
  validateContract,
  type AttachmentRefDto,
  type CaseReceivedV1,
} from '@poststelle/contracts';
import { MessagingRuntime, addToOutbox } from '@poststelle/messaging';
import { type BlobStore } from '@poststelle/persistence';
import { BLOB_STORE } from '@poststelle/platform';
import { Logger } from '@poststelle/telemetry';
import { validateContent } from '../content';
import { sha512Hex } from '../hashing';
import { INTAKE_SETTINGS, type IntakeSettings } from '../../intake.config';
import { assembleCase, duplicateFingerprint, type AssembledFormData } from './case-assembly';
import { IntakeErrorCode, IntakeException } from '../intake.exception';
import { type AcceptSubmissionCommand, type SubmissionCommand } from './submission.command';
import { SubmissionsRepository } from './submissions.repository';
import { casesReceived } from '../intake-metrics';

export interface AcceptedSubmission {
  submissionId: string;
  caseId: string;
  /** True when the same submission was accepted before under this key. */
  replayed: boolean;
}

/**
 * Turns a submission from any channel into a canonical case: validate, store attachments in the blob store, then in
 * one transaction keep the original, the case, and the `case.received` event (outbox).
 */
@Injectable()
export class AcceptSubmissionUseCase {
  private readonly log = new Logger('AcceptSubmission');

  constructor(
    private readonly dataSource: DataSource,
    private readonly messaging: MessagingRuntime,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(INTAKE_SETTINGS) private readonly settings: IntakeSettings,
    private readonly submissions: SubmissionsRepository,
  ) {}

  /** HTTP entry: runs its own transaction. */
  async execute(command: SubmissionCommand): Promise<AcceptedSubmission> {
    const { submission } = command;
    const attachments = await this.storeAttachments(submission);
    const form = await this.storeFormData(submission);
    const result = await this.dataSource.transaction((manager) => this.persist(manager, submission, attachments, form, command.input));
    if (!result.replayed) this.messaging.relay.nudge();
    return result;
  }

  /** Kafka entry: joins the consumer's transaction (inbox row + effects commit together). */
  async executeIn(manager: EntityManager, command: SubmissionCommand): Promise<AcceptedSubmission> {
    const { submission } = command;
    const attachments = await this.storeAttachments(submission);
    const form = await this.storeFormData(submission);
    return this.persist(manager, submission, attachments, form, command.input);
  }

  private async storeAttachments(submission: SubmissionV1): Promise<AttachmentRefDto[]> {
    const refs: AttachmentRefDto[] = [];
    let total = 0;
    for (const [i, a] of (submission.attachments ?? []).entries()) {
      let stored;
      if (a.contentBase64 !== undefined) {
        const bytes = Buffer.from(a.contentBase64, 'base64');
        validateContent(
          bytes,
          { name: a.fileName, field: `attachments[${i}].contentBase64`, declaredMediaType: a.mediaType },
          { attachmentMaxBytes: this.settings.limits.attachmentMaxBytes, archives: this.settings.archives },
        );
        stored = await this.blobs.put(bytes);
        if (a.sha512 && a.sha512 !== stored.sha512) {
          throw new IntakeException(
            IntakeErrorCode.AttachmentHashMismatch,
            `attachment '${a.attachmentId}': the announced sha512 does not match the content`,
            {
              errors: [{ field: `attachments[${i}].sha512`, message: 'does not match the sha512 of contentBase64' }],
            },
          );
        }
      } else {
        stored = await this.blobs.has(a.sha512 as string);
        if (!stored) {
          throw new IntakeException(
            IntakeErrorCode.AttachmentBlobMissing,
            `attachment '${a.attachmentId}': no stored blob has sha512 ${a.sha512}`,
            {
              errors: [{ field: `attachments[${i}].sha512`, message: 'no blob with this hash was uploaded' }],
            },
          );
        }
      }
      total += stored.sizeBytes;
      if (total > this.settings.limits.submissionMaxBytes) {
        throw new IntakeException(
          IntakeErrorCode.SubmissionTooLarge,
          `attachments add up to more than ${this.settings.limits.submissionMaxBytes} bytes`,
        );
      }
      refs.push({
        attachmentId: a.attachmentId,
        fileName: a.fileName,
        mediaType: a.mediaType,
        purpose: a.purpose,
        sizeBytes: stored.sizeBytes,
        sha512: stored.sha512,
        blobRef: stored.blobRef,
      });
    }
    return refs;
  }

  /**
   * Claim check for the form data: its hash always; the content itself goes to the blob store when its serialisation
   * exceeds FORM_DATA_INLINE_MAX_BYTES, so no Kafka message carries unbounded user content.
   */
  private async storeFormData(submission: SubmissionV1): Promise<AssembledFormData> {
    const bytes = formDataBytes(submission.formData.content);
    if (bytes.length <= this.settings.limits.formDataInlineMaxBytes) return { sha512: sha512Hex(bytes) };
    const stored = await this.blobs.put(bytes);
    return { sha512: stored.sha512, contentRef: { blobRef: stored.blobRef, sha512: stored.sha512, sizeBytes: stored.sizeBytes } };
  }

  private async persist(
    manager: EntityManager,
    submission: SubmissionV1,
    attachments: AttachmentRefDto[],
    form: AssembledFormData,
    command: AcceptSubmissionCommand,
  ): Promise<AcceptedSubmission> {
    const submissionId = randomUUID();
    const caseId = randomUUID();
    const receivedAt = new Date();
    // The assembled case goes through the same contract validation every consumer applies.
    const canonical = validateContract(
      CaseV1,
      assembleCase(submission, { caseId, submissionId }, form, attachments, receivedAt, command.bundle, {
        unsealedScanSignatures: this.settings.scan.unsealedSignaturesSatisfyWrittenForm,
        mayAssert: command.submitter.mayAssert,
        scanSealVerifiedByIntake: command.scanSealVerifiedByIntake === true,
      }),
    );
    const inserted = await this.submissions.insertSubmission(manager, {
      submissionId,
      idempotencyKey: command.idempotencyKey,
      requestSha512: command.requestSha512,
      channel: submission.channel.kind,
      caseId,
      original: command.body,
      submittedBy: command.submitter.id,
    });
    if (!inserted) {
      const existing = await this.submissions.findByIdempotencyKey(manager, command.idempotencyKey);
      if (!existing) throw new Error('idempotency conflict without an existing row');
      if (existing.requestSha512 !== command.requestSha512) {
        throw new IntakeException(
          IntakeErrorCode.IdempotencyKeyReused,
          'this Idempotency-Key was already used for a different submission',
          { submissionId: existing.submissionId },
        );
      }
      return { submissionId: existing.submissionId, caseId: existing.caseId, replayed: true };
    }
    const fingerprint = duplicateFingerprint(canonical);
    if (fingerprint) {
      const earlier = await this.submissions.earlierCaseWithFingerprint(manager, fingerprint, this.settings.duplicateWindowHours);
      if (earlier) canonical.possibleDuplicateOf = earlier;
    }
    await this.submissions.insertCase(manager, { caseId, submissionId, canonical, receivedAt, fingerprint });
    await addToOutbox<CaseReceivedV1>(manager, {
      topic: Topics.casesReceived,
      key: caseId,
      type: EventTypes.caseReceived,
      payload: { case: canonical },
      correlationId: caseId,
      tenant: canonical.tenant.ars,
    });
    casesReceived.inc({ channel: command.viaFitConnect ? 'fit-connect' : canonical.channel.kind });
    this.log.info('case received', {
      caseId,
      submissionId,
      channel: canonical.channel.kind,
      leikaKey: canonical.service.leikaKey,
      tenant: canonical.tenant.ars,
    });
    return { submissionId, caseId, replayed: false };
  }
}
