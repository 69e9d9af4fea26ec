import { randomUUID } from 'node:crypto';
import { type Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { ContractValidationError, LEIKA_URN, type FieldError } from '@poststelle/contracts';
import { BlobTooLargeError, type BlobStore } from '@poststelle/persistence';
import { BLOB_STORE } from '@poststelle/platform';
import { Logger } from '@poststelle/telemetry';
import {
  AcceptSubmissionUseCase,
  INTAKE_SETTINGS,
  IntakeErrorCode,
  type IntakeSettings,
  isInputRejection,
  originalOf,
  parseJsonFormData,
  parseJsonObject,
  parseXmlFormData,
  type ReadScope,
  type ReceivedBody,
  RejectedInputsRepository,
  sha512Hex,
  type Submitter,
  validateContent,
  SubmissionCommand,
} from '../../core';
import { FitConnectRepository, type FitSubmissionRow } from './fit-connect.repository';
import { FitMetadataValidator, type FitMetadata } from './fit-metadata';
import { FitErrorCode, type FitRefusalCode, fitRefusal } from './fit-connect.exception';

export const FIT_METADATA_VALIDATOR = Symbol('FIT_METADATA_VALIDATOR');

const fail = (code: FitRefusalCode, message: string, errors?: FieldError[]) => fitRefusal(code, message, errors ? { errors } : {});

/**
 * FIT-Connect compatible submission API: announce (metadata, validated against schema 1.0.0), upload each announced
 * attachment (streamed, hash-checked), submit the data (hash-checked) → a case through AcceptSubmissionUseCase.
 */
@Injectable()
export class FitConnectUseCase {
  private readonly log = new Logger('FitConnect');

  constructor(
    private readonly repo: FitConnectRepository,
    private readonly accept: AcceptSubmissionUseCase,
    @Inject(FIT_METADATA_VALIDATOR) private readonly validator: FitMetadataValidator,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(INTAKE_SETTINGS) private readonly settings: IntakeSettings,
    private readonly rejections: RejectedInputsRepository,
  ) {}

  /**
   * Keeps a refused input (in `rejected_inputs`, bytes inline or referenced in the blob store) and adds its
   * `rejectionId` to the problem details; other errors pass through unchanged.
   */
  private async kept(error: unknown, original: { bytes?: Buffer; blobSha512?: string; submittedBy?: string }): Promise<unknown> {
    if (error instanceof ContractValidationError) {
      error = fail(IntakeErrorCode.InvalidSubmission, 'the submission does not map to a valid case', error.errors);
    }
    if (!isInputRejection(error)) return error;
    const errors = (error.extensions['errors'] as FieldError[] | undefined) ?? [{ field: '$', message: error.message }];
    const rejectionId = await this.rejections.record({
      source: 'http',
      reasonCode: error.code,
      errors,
      original: original.bytes,
      ...(original.blobSha512 ? { originalBlobSha512: original.blobSha512 } : {}),
      ...(original.submittedBy ? { submittedBy: original.submittedBy } : {}),
    });
    return error.with({ errors, rejectionId });
  }

  /** `received` is the request body as received: it must be one JSON object in UTF-8 (see `parseJsonObject`). */
  /** `submitter`: the client announcing (its `fit-connect` channel checked by the controller); only it continues. */
  async announce(
    received: ReceivedBody,
    submitter: Submitter,
  ): Promise<{ submissionId: string; status: string; announcedAttachments: string[] }> {
    try {
      return await this.doAnnounce(parseJsonObject(received), submitter);
    } catch (error) {
      throw await this.kept(error, { bytes: originalOf(received), submittedBy: submitter.id });
    }
  }

  private async doAnnounce(
    body: unknown,
    submitter: Submitter,
  ): Promise<{ submissionId: string; status: string; announcedAttachments: string[] }> {
    const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    const tenantArs = b['tenantArs'];
    if (typeof tenantArs !== 'string' || !/^\d{12}$/.test(tenantArs)) {
      throw fail(FitErrorCode.MetadataSchemaViolation, 'tenantArs (the destination region, 12-digit ARS) is required', [
        { field: 'tenantArs', message: 'must be a 12-digit ARS' },
      ]);
    }
    const checked = this.validator.check(b['metadata']);
    if ('errors' in checked) {
      throw fail(FitErrorCode.MetadataSchemaViolation, `the metadata violates the FIT-Connect metadata schema 1.0.0`, checked.errors);
    }
    const identifier = checked.metadata.publicServiceType?.identifier;
    if (!identifier || !LEIKA_URN.test(identifier)) {
      throw fail(FitErrorCode.UnsupportedService, 'publicServiceType.identifier must be a LeiKa URN (urn:de:fim:leika:leistung:99...)');
    }
    const submissionId = randomUUID();
    await this.repo.create({
      submissionId,
      submittedBy: submitter.id,
      metadataVersion: checked.version,
      metadataSha512: sha512Hex(JSON.stringify(b['metadata'])),
      announced: {
        tenantArs,
        metadata: b['metadata'],
        ...(b['applicant'] ? { applicant: b['applicant'] } : {}),
        ...(typeof b['levelOfAssurance'] === 'string' ? { levelOfAssurance: b['levelOfAssurance'] } : {}),
        ...(typeof b['portalId'] === 'string' ? { portalId: b['portalId'] } : {}),
        ...(typeof b['authenticationMethod'] === 'string' ? { authenticationMethod: b['authenticationMethod'] } : {}),
      },
    });
    return {
      submissionId,
      status: 'incomplete',
      announcedAttachments: checked.metadata.contentStructure.attachments.map((a) => a.attachmentId),
    };
  }

  private async open(submissionId: string, scope: ReadScope): Promise<{ row: FitSubmissionRow; metadata: FitMetadata }> {
    const row = await this.repo.find(submissionId, scope);
    if (!row) throw fail(FitErrorCode.SubmissionNotFound, `no FIT-Connect submission ${submissionId}`);
    const checked = this.validator.check(row.announced.metadata);
    if ('errors' in checked) throw new Error('stored metadata no longer validates');
    return { row, metadata: checked.metadata };
  }

  /**
   * `contentType` is the upload's Content-Type header (if any): it must agree with the announced mimeType. The bytes
   * are streamed to the blob store, hash-checked, then checked by the shared content validation; refused bytes stay
   * in the blob store, referenced by the rejection.
   */
  async upload(
    submissionId: string,
    attachmentId: string,
    body: Readable,
    contentType: string | undefined,
    scope: ReadScope,
  ): Promise<{ sha512: string; sizeBytes: number }> {
    const { row, metadata } = await this.open(submissionId, scope);
    if (row.status !== 'incomplete') throw fail(FitErrorCode.SubmissionState, `the submission is ${row.status}; uploads are closed`);
    const announced = metadata.contentStructure.attachments.find((a) => a.attachmentId === attachmentId);
    if (!announced) {
      body.resume();
      await this.reject(submissionId, FitErrorCode.AttachmentUnannounced, `attachment ${attachmentId} was not announced`, false);
      throw fail(FitErrorCode.AttachmentUnannounced, `attachment ${attachmentId} was not announced in contentStructure.attachments`);
    }
    const field = `contentStructure.attachments[${attachmentId}]`;
    const declared = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
    if (declared && declared !== 'application/octet-stream' && declared !== announced.mimeType.toLowerCase()) {
      body.resume();
      await this.reject(submissionId, IntakeErrorCode.ContentTypeMismatch, `attachment ${attachmentId} uploaded as ${declared}`, false);
      throw fail(
        IntakeErrorCode.ContentTypeMismatch,
        `attachment ${attachmentId} was announced as ${announced.mimeType} but uploaded as ${declared}`,
        [{ field: `${field}.mimeType`, message: `upload Content-Type ${declared} differs from the announced ${announced.mimeType}` }],
      );
    }
    let stored;
    try {
      stored = await this.blobs.putStream(body, this.settings.fitConnect.attachmentMaxBytes);
    } catch (error) {
      if (error instanceof BlobTooLargeError) {
        body.resume();
        await this.reject(submissionId, FitErrorCode.AttachmentTooLarge, `attachment ${attachmentId} too large`, false);
        throw fail(FitErrorCode.AttachmentTooLarge, `attachment ${attachmentId} exceeds ${error.maxBytes} bytes`, [
          { field, message: `larger than ${error.maxBytes} bytes` },
        ]);
      }
      throw error;
    }
    if (stored.sha512 !== announced.hash.content) {
      // The bytes stay in the blob store (kept, referenced by the event) but are not linked to the submission.
      await this.repo.event(submissionId, 'attachment-rejected', {
        attachmentId,
        code: FitErrorCode.AttachmentHashMismatch,
        receivedSha512: stored.sha512,
      });
      throw fail(FitErrorCode.AttachmentHashMismatch, `attachment ${attachmentId}: the uploaded bytes do not match the announced sha512`, [
        { field: `${field}.hash.content`, message: `uploaded content has sha512 ${stored.sha512}` },
      ]);
    }
    try {
      const total = (await this.repo.uploadedBytes(submissionId, attachmentId)) + stored.sizeBytes;
      if (total > this.settings.limits.submissionMaxBytes) {
        throw fail(
          IntakeErrorCode.SubmissionTooLarge,
          `the attachments of submission ${submissionId} add up to ${total} bytes; the limit is ${this.settings.limits.submissionMaxBytes}`,
          [{ field, message: 'the submission would exceed its size limit' }],
        );
      }
      validateContent(
        await this.read(stored.sha512),
        { name: announced.filename ?? attachmentId, field, declaredMediaType: announced.mimeType },
        { attachmentMaxBytes: this.settings.fitConnect.attachmentMaxBytes, archives: this.settings.archives },
      );
    } catch (error) {
      if (isInputRejection(error)) {
        await this.repo.event(submissionId, 'attachment-rejected', { attachmentId, code: error.code, receivedSha512: stored.sha512 });
        this.log.info('FIT-Connect attachment refused', { submissionId, attachmentId, code: error.code });
      }
      throw await this.kept(error, { blobSha512: stored.sha512, ...(scope.submitter ? { submittedBy: scope.submitter } : {}) });
    }
    await this.repo.recordAttachment(submissionId, attachmentId, stored.sha512, stored.sizeBytes);
    return { sha512: stored.sha512, sizeBytes: stored.sizeBytes };
  }

  private async read(sha512: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.blobs.open(sha512)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /**
   * `scope`: whose submissions the caller may continue (its own); `submitter`: its `mayAssert` decides whether the
   * announced level of assurance and eID count (ADR 0016).
   */
  async submit(
    submissionId: string,
    received: ReceivedBody,
    scope: ReadScope,
    submitter: Submitter,
  ): Promise<{ submissionId: string; status: string; caseId: string }> {
    const { row, metadata } = await this.open(submissionId, scope);
    if (row.status !== 'incomplete') throw fail(FitErrorCode.SubmissionState, `the submission is already ${row.status}`);
    try {
      const result = await this.finish(row, metadata, parseJsonObject(received), submitter);
      await this.repo.setStatus(submissionId, 'accepted', result.caseId);
      await this.repo.event(submissionId, 'submitted', {});
      await this.repo.event(submissionId, 'accepted', { caseId: result.caseId });
      return { submissionId, status: 'accepted', caseId: result.caseId };
    } catch (error) {
      const refused = await this.kept(error, { bytes: originalOf(received), submittedBy: submitter.id });
      if (isInputRejection(refused)) await this.reject(submissionId, refused.code, refused.message, true);
      throw refused;
    }
  }

  private async reject(submissionId: string, code: string, message: string, final: boolean): Promise<void> {
    if (final) await this.repo.setStatus(submissionId, 'rejected');
    await this.repo.event(submissionId, final ? 'rejected' : 'attachment-rejected', { code, reason: message });
    this.log.info('FIT-Connect submission problem', { submissionId, code });
  }

  private async finish(row: FitSubmissionRow, metadata: FitMetadata, body: unknown, submitter: Submitter) {
    const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    const uploaded = await this.repo.attachments(row.submissionId);
    const missing = metadata.contentStructure.attachments.filter((a) => !uploaded.has(a.attachmentId));
    if (missing.length > 0) {
      throw fail(
        FitErrorCode.AttachmentMissing,
        `${missing.length} announced attachment(s) were not uploaded`,
        missing.map((a) => ({ field: `attachments.${a.attachmentId}`, message: 'announced but not uploaded' })),
      );
    }
    const data = metadata.contentStructure.data;
    let content: Record<string, unknown> = {};
    let schemaUri = 'urn:poststelle:fit-connect:no-data';
    const extra: { attachmentId: string; fileName: string; mediaType: string; purpose: 'form'; sha512: string }[] = [];
    if (data) {
      if (typeof b['data'] !== 'string') throw fail(FitErrorCode.DataHashMismatch, 'data (the form data as a string) is required');
      const bytes = Buffer.from(b['data'], 'utf8');
      if (sha512Hex(bytes) !== data.hash.content) {
        throw fail(FitErrorCode.DataHashMismatch, 'the sha512 of data does not match contentStructure.data.hash', [
          { field: 'data', message: 'hash mismatch' },
        ]);
      }
      // Kept before parsing, so refused data is still on record (its hash is the announced one).
      const blob = await this.blobs.put(bytes);
      schemaUri = data.submissionSchema.schemaUri;
      content =
        data.submissionSchema.mimeType === 'application/xml' ? await parseXmlFormData(bytes, 'data') : parseJsonFormData(bytes, 'data');
      extra.push({
        attachmentId: 'fit-data',
        fileName: data.submissionSchema.mimeType === 'application/xml' ? 'data.xml' : 'data.json',
        mediaType: data.submissionSchema.mimeType,
        purpose: 'form',
        sha512: blob.sha512,
      });
    }
    const pay = metadata.paymentInformation;
    const submission: Record<string, unknown> = {
      tenant: { ars: row.announced.tenantArs },
      publicServiceType: metadata.publicServiceType,
      channel: {
        kind: 'portal',
        portal: {
          portalId: row.announced.portalId ?? 'fit-connect',
          fitConnectSubmissionId: row.submissionId,
          metadataSha512: row.metadataSha512,
          ...(row.announced.authenticationMethod ? { authenticationMethod: row.announced.authenticationMethod } : {}),
        },
      },
      applicant: row.announced.applicant ?? { kind: 'natural' },
      formData: { schemaUri, mimeType: 'application/json', content },
      attachments: [
        ...metadata.contentStructure.attachments.map((a, i) => ({
          attachmentId: a.attachmentId,
          fileName: a.filename ?? `attachment-${i + 1}`,
          mediaType: a.mimeType,
          purpose: a.purpose,
          sha512: uploaded.get(a.attachmentId),
        })),
        ...extra,
      ],
      ...(row.announced.levelOfAssurance ? { levelOfAssurance: row.announced.levelOfAssurance } : {}),
      ...(metadata.authenticationInformation ? { authenticationInformation: metadata.authenticationInformation } : {}),
      ...(pay
        ? {
            paymentInformation: {
              ...pay,
              ...(pay.grossAmount !== undefined ? { grossAmount: pay.grossAmount.toFixed(2) } : {}),
            },
          }
        : {}),
      replyChannel: metadata.replyChannel ?? {},
      ...(metadata.additionalReferenceInfo ? { additionalReferenceInfo: metadata.additionalReferenceInfo } : {}),
    };
    return this.accept.execute(
      SubmissionCommand.create({
        body: submission,
        idempotencyKey: `fit:${row.submissionId}`,
        requestSha512: row.metadataSha512,
        // The channel was checked on arrival (`fit-connect`); the case is a portal case.
        submitter: { id: submitter.id, mayAssert: submitter.mayAssert },
        viaFitConnect: true,
      }),
    );
  }

  /** For the client that submitted it, the tenant it is addressed to (`tenantArs`) and platform-admin. */
  async events(submissionId: string, scope: ReadScope) {
    const row = await this.repo.find(submissionId, scope);
    if (!row) throw fail(FitErrorCode.SubmissionNotFound, `no FIT-Connect submission ${submissionId}`);
    return { submissionId, status: row.status, caseId: row.caseId, events: await this.repo.events(submissionId) };
  }
}
