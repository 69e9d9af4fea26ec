import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CaseEvidenceAddedV1, EventTypes, Topics, validateContract, type AttachmentRefDto } from '@poststelle/contracts';
import { MessagingRuntime, addToOutbox } from '@poststelle/messaging';
import { type BlobStore } from '@poststelle/persistence';
import { BLOB_STORE } from '@poststelle/platform';
import { Logger } from '@poststelle/telemetry';
import { emailEvidence, isPlausibleEmail, type EmailSubmissionInput } from './email-rules';
import { EmailRepository } from './email.repository';
import { type ParsedEmail, type SenderAuthentication, type SignatureVerification, type SmtpEnvelope } from './email.ports';

export interface FollowUpCommand {
  caseId: string;
  inboundId: string;
  rawSha512: string;
  envelope: SmtpEnvelope;
  parsed: ParsedEmail;
  auth: SenderAuthentication;
  /** Already in the blob store (and through the content check). */
  attachments: EmailSubmissionInput['attachments'];
  /** What `GET /v1/email/messages/{id}` shows. */
  outcomeEvidence: Record<string, unknown>;
  /** Result of cryptographic signature verification. */
  signature?: SignatureVerification;
}

/**
 * An email quoting a case reference: in one transaction it goes on the case's timeline, the inbound message gets
 * its outcome, and `case.evidence-added` goes to `cases.evidence.v1` (outbox) so routing sees the new evidence
 * (e.g. releases a held case once its requirement is met). A plain or S/MIME-signed email never satisfies the
 * written form (§ 3a VwVfG needs a qualified electronic signature), so the event says `writtenForm: none`.
 */
@Injectable()
export class RecordFollowUpUseCase {
  private readonly log = new Logger('EmailFollowUp');

  constructor(
    private readonly dataSource: DataSource,
    private readonly messaging: MessagingRuntime,
    private readonly repo: EmailRepository,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  async execute(c: FollowUpCommand): Promise<void> {
    const refs: AttachmentRefDto[] = [];
    for (const a of c.attachments) {
      const blob = await this.blobs.has(a.sha512);
      if (!blob) throw new Error(`blob ${a.sha512} vanished before the follow-up was recorded`);
      refs.push({ ...a, sizeBytes: blob.sizeBytes, blobRef: blob.blobRef });
    }
    const recipient = c.envelope.rcptTo.find(isPlausibleEmail);
    const payload = validateContract(CaseEvidenceAddedV1, {
      caseId: c.caseId,
      channel: 'email',
      writtenForm: { means: 'none', satisfied: false, detail: 'an email follow-up does not satisfy the written form (§ 3a VwVfG)' },
      ...(refs.length > 0 ? { attachments: refs } : {}),
      receivedAt: new Date().toISOString(),
      email: emailEvidence({
        parsed: c.parsed,
        rawSha512: c.rawSha512,
        auth: c.auth,
        ...(c.envelope.mailFrom ? { envelopeFrom: c.envelope.mailFrom } : {}),
        ...(recipient ? { recipient } : {}),
        ...(c.signature ? { signature: c.signature } : {}),
      }),
    });
    await this.dataSource.transaction(async (manager) => {
      await this.repo.addFollowUp(
        c.caseId,
        c.inboundId,
        { inboundId: c.inboundId, rawMessageSha512: c.rawSha512, attachments: refs.map((a) => a.sha512) },
        manager,
      );
      await this.repo.recordOutcome(c.inboundId, { status: 'follow-up', caseId: c.caseId, evidence: c.outcomeEvidence }, manager);
      const tenant = await this.repo.caseTenant(c.caseId, manager);
      if (!tenant) throw new Error(`case ${c.caseId} vanished before the follow-up was recorded`);
      await addToOutbox<CaseEvidenceAddedV1>(manager, {
        topic: Topics.casesEvidence,
        key: c.caseId,
        type: EventTypes.caseEvidenceAdded,
        payload,
        correlationId: c.caseId,
        tenant,
      });
    });
    this.messaging.relay.nudge();
    this.log.info('email attached to case as follow-up; evidence published', { inboundId: c.inboundId, caseId: c.caseId });
  }
}
