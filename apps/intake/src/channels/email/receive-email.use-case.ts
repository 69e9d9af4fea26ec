import { caseReferenceOf, findCaseReferences, ContractValidationError, type FieldError } from '@poststelle/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { type BlobStore } from '@poststelle/persistence';
import { BLOB_STORE } from '@poststelle/platform';
import { Logger } from '@poststelle/telemetry';
import {
  AcceptSubmissionUseCase,
  INTAKE_SETTINGS,
  IntakeErrorCode,
  type IntakeSettings,
  isInputRejection,
  parseJsonFormData,
  parseXmlFormData,
  validateContent,
  SubmissionCommand,
} from '../../core';
import { EmailReader } from './email-reader';
import {
  buildEmailSubmission,
  classifyNotACase,
  formDataTarget,
  isPlausibleEmail,
  resolveTarget,
  safeFileName,
  safeMediaType,
  subjectTokens,
  type EmailSubmissionInput,
} from './email-rules';
import { EmailRepository } from './email.repository';
import { ForwardInvoiceEmailUseCase, type ForwardedInvoice } from './forward-invoice-email.use-case';
import { RecordFollowUpUseCase } from './record-follow-up.use-case';
import { type ParsedEmail, type SmtpEnvelope } from './email.ports';
import { EmailErrorCode, type EmailRefusalCode } from './email.exception';

export interface EmailOutcome {
  inboundId: string;
  rawMessageSha512: string;
  status: 'case' | 'follow-up' | 'invoice' | 'rejected';
  caseId?: string;
  /** Status `invoice`: the e-invoices handed to erechnung, which answers the sender by email. */
  invoices?: ForwardedInvoice[];
  caseReference?: string;
  reasonCode?: string;
  reason?: string;
  errors?: FieldError[];
}

/**
 * A case or a follow-up takes at most this many attachments (the limit of the `SubmissionV1` and
 * `CaseEvidenceAddedV1` contracts, as for the portal). An email with more is refused as a whole with
 * EMAIL_TOO_MANY_ATTACHMENTS (raw message kept, count in the reason), never cut short. Invoice mailboxes look at
 * every attachment; the message size limit (`SMTP_MAX_MESSAGE_BYTES`) bounds them.
 */
export const MAX_CASE_ATTACHMENTS = 50;

/**
 * One inbound email → a case (through AcceptSubmissionUseCase), a follow-up on an existing case, e-invoices handed
 * to erechnung (mail to an invoice mailbox), or a rejection with a specific reason. The raw message and its sha512 are stored before anything parses it.
 */
@Injectable()
export class ReceiveEmailUseCase {
  private readonly log = new Logger('ReceiveEmail');

  constructor(
    private readonly repo: EmailRepository,
    private readonly accept: AcceptSubmissionUseCase,
    private readonly forwardInvoices: ForwardInvoiceEmailUseCase,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    private readonly reader: EmailReader,
    @Inject(INTAKE_SETTINGS) private readonly settings: IntakeSettings,
    private readonly followUps: RecordFollowUpUseCase,
  ) {}

  /** `submittedBy`: the mail gateway's client id for `POST /v1/email` (its `email` channel checked there); `smtp` otherwise. */
  async receive(raw: Buffer, envelope: SmtpEnvelope, transport: 'smtp' | 'http', submittedBy: string = transport): Promise<EmailOutcome> {
    const stored = await this.blobs.put(raw);
    const inboundId = await this.repo.recordReceived({
      transport,
      rawSha512: stored.sha512,
      sizeBytes: raw.length,
      ...(envelope.mailFrom ? { envelopeFrom: envelope.mailFrom } : {}),
      recipients: envelope.rcptTo,
    });
    const base = { inboundId, rawMessageSha512: stored.sha512 };
    const reject = async (code: EmailRefusalCode, reason: string, evidence?: Record<string, unknown>, errors?: FieldError[]) => {
      await this.repo.recordOutcome(inboundId, { status: 'rejected', reasonCode: code, reason, ...(evidence ? { evidence } : {}) });
      this.log.info('email rejected', { inboundId, code });
      return { ...base, status: 'rejected' as const, reasonCode: code, reason, ...(errors ? { errors } : {}) };
    };

    if (raw.length > this.settings.email.maxMessageBytes) {
      return reject(EmailErrorCode.TooLarge, `the message has ${raw.length} bytes; the limit is ${this.settings.email.maxMessageBytes}`);
    }
    let parsed: ParsedEmail;
    try {
      parsed = await this.reader.parse(raw);
    } catch (error) {
      return reject(EmailErrorCode.Unparseable, `the message could not be parsed as RFC 822: ${(error as Error).message}`);
    }
    const auth = await this.reader.authenticate(raw, envelope);
    const signature = await this.reader.verifySignature(raw);
    const evidence: Record<string, unknown> = {
      ...auth,
      contentType: parsed.contentType,
      attachments: parsed.attachments.length,
      signature: { kind: signature.kind, signatureValid: signature.signatureValid, certificateTrusted: signature.certificateTrusted },
    };

    const notACase = classifyNotACase(parsed);
    if (notACase) return reject(notACase.code, notACase.reason, evidence);

    const candidates = [
      ...envelope.rcptTo,
      ...['delivered-to', 'x-original-to', 'envelope-to'].flatMap((h) => parsed.headers[h] ?? []),
      ...parsed.recipients,
    ]
      .map((a) => a.replace(/[<>]/g, '').trim().toLowerCase())
      .filter((a, i, all) => a && all.indexOf(a) === i);
    const [mailbox] = await this.repo.findMailboxes(candidates);

    try {
      if (mailbox?.purpose === 'invoices') {
        // An invoice mailbox never opens a case: its e-invoices go to erechnung (docs/adr/0010-invoices-by-email.md).
        const invoices = await this.forwardInvoices.execute({ inboundId, rawSha512: stored.sha512, parsed, envelope, mailbox, auth });
        await this.repo.recordOutcome(inboundId, {
          status: 'invoice',
          evidence: { ...evidence, invoices: invoices.map((i) => i.submissionId) },
        });
        return { ...base, status: 'invoice', invoices };
      }
      if (parsed.attachments.length > MAX_CASE_ATTACHMENTS) {
        const reason = `the message has ${parsed.attachments.length} attachments; a case or follow-up takes at most ${MAX_CASE_ATTACHMENTS} (send the rest in a reply quoting the case reference, or as a ZIP)`;
        return await reject(EmailErrorCode.TooManyAttachments, reason, evidence, [
          { field: 'attachments', message: `${parsed.attachments.length} attachments; at most ${MAX_CASE_ATTACHMENTS} per case` },
        ]);
      }
      const { attachments, form } = await this.storeAttachments(parsed);
      const followUp = await this.followUpCase(parsed, mailbox?.tenantArs);
      if (followUp) {
        await this.followUps.execute({
          caseId: followUp,
          inboundId,
          rawSha512: stored.sha512,
          envelope,
          parsed,
          auth,
          attachments,
          outcomeEvidence: evidence,
          signature,
        });
        return { ...base, status: 'follow-up', caseId: followUp, caseReference: caseReferenceOf(followUp) };
      }

      const target = resolveTarget(mailbox, subjectTokens(parsed.subject), formDataTarget(form?.content));
      if ('code' in target) return await reject(target.code, target.reason, evidence);
      if (![parsed.replyTo, parsed.from, envelope.mailFrom].some(isPlausibleEmail)) {
        return await reject(EmailErrorCode.NoReplyAddress, 'the message names no usable sender or Reply-To address', evidence);
      }
      const recipient = mailbox?.address ?? candidates.find(isPlausibleEmail);
      const body = buildEmailSubmission({
        parsed,
        rawSha512: stored.sha512,
        ...(envelope.mailFrom ? { envelopeFrom: envelope.mailFrom } : {}),
        ...(recipient ? { recipient } : {}),
        auth,
        signature,
        target,
        ...(form ? { form } : {}),
        attachments,
      });
      // Built by intake from the mail itself; an email asserts nothing about the applicant.
      const accepted = await this.accept.execute(
        SubmissionCommand.create({
          body,
          idempotencyKey: `email:${stored.sha512}`,
          requestSha512: stored.sha512,
          submitter: { id: submittedBy, mayAssert: [] },
        }),
      );
      await this.repo.recordOutcome(inboundId, { status: 'case', caseId: accepted.caseId, evidence });
      return { ...base, status: 'case', caseId: accepted.caseId, caseReference: caseReferenceOf(accepted.caseId) };
    } catch (error) {
      if (error instanceof ContractValidationError) {
        return reject(IntakeErrorCode.InvalidSubmission, 'the email does not make a valid submission', evidence, error.errors);
      }
      if (isInputRejection(error)) {
        const errors = error.extensions['errors'] as FieldError[] | undefined;
        return reject(error.code as EmailRefusalCode, error.message, evidence, errors);
      }
      throw error;
    }
  }

  /**
   * The case a reply continues: a reference (with a correct check character) to exactly one case of the tenant that
   * owns the receiving mailbox. A reference to another tenant's case, or mail to an address no tenant owns, never
   * attaches: the mail is handled as new (a case, or a refusal with its reason), and the foreign case stays untouched.
   */
  private async followUpCase(parsed: ParsedEmail, mailboxTenant: string | undefined): Promise<string | undefined> {
    if (!mailboxTenant) return undefined;
    for (const ref of findCaseReferences(parsed.subject, parsed.text)) {
      const cases = await this.repo.casesByReference(ref);
      if (cases.length !== 1) continue;
      if (cases[0]!.tenantArs === mailboxTenant) return cases[0]!.caseId;
      this.log.warn('email quotes a case reference of another tenant; not attached', { mailboxTenant, caseTenant: cases[0]!.tenantArs });
    }
    return undefined;
  }

  private async storeAttachments(parsed: ParsedEmail): Promise<{
    attachments: EmailSubmissionInput['attachments'];
    form?: NonNullable<EmailSubmissionInput['form']>;
  }> {
    const attachments: EmailSubmissionInput['attachments'] = [];
    let form: EmailSubmissionInput['form'];
    const used = new Set<string>();
    for (const [i, a] of parsed.attachments.entries()) {
      const mediaType = safeMediaType(a.contentType);
      let fileName = safeFileName(a.fileName, i, mediaType);
      while (used.has(fileName)) fileName = `${i + 1}-${fileName}`;
      used.add(fileName);
      validateContent(
        a.content,
        { name: fileName, field: fileName, declaredMediaType: mediaType },
        {
          attachmentMaxBytes: this.settings.limits.attachmentMaxBytes,
          archives: this.settings.archives,
        },
      );
      let purpose: 'form' | 'attachment' = 'attachment';
      if (!form && (mediaType === 'application/json' || /\.json$/i.test(fileName))) {
        form = { mimeType: 'application/json', fileName, content: parseJsonFormData(a.content, `form data '${fileName}'`) };
        purpose = 'form';
      } else if (!form && (/^(application|text)\/xml$/.test(mediaType) || /\.xml$/i.test(fileName))) {
        form = { mimeType: 'application/xml', fileName, content: await parseXmlFormData(a.content, `form data '${fileName}'`) };
        purpose = 'form';
      }
      const blob = await this.blobs.put(a.content);
      attachments.push({ attachmentId: `a${i + 1}`, fileName, mediaType, sha512: blob.sha512, purpose });
    }
    return { attachments, ...(form ? { form } : {}) };
  }
}
