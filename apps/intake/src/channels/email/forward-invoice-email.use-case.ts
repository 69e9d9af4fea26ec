import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventTypes, Topics, type InvoiceSubmittedV1 } from '@poststelle/contracts';
import { MessagingRuntime, addToOutbox } from '@poststelle/messaging';
import { type BlobStore, type StoredBlob } from '@poststelle/persistence';
import { BLOB_STORE } from '@poststelle/platform';
import { Logger } from '@poststelle/telemetry';
import { sniffInvoice, type InvoiceSyntax } from '@poststelle/xrechnung';
import { INTAKE_SETTINGS, type IntakeSettings, validateContent } from '../../core';
import { EmailRepository } from './email.repository';
import { isPlausibleEmail, safeFileName, safeMediaType, type MailboxEntry } from './email-rules';
import { type ParsedEmail, type SenderAuthentication, type SmtpEnvelope } from './email.ports';
import { EmailErrorCode, EmailException } from './email.exception';

export interface ForwardedInvoice {
  /** Key of `invoice.submitted` on `invoices.inbound.v1`; erechnung's invoice carries it as its source. */
  submissionId: string;
  fileName: string;
  syntax: InvoiceSyntax;
  sha512: string;
  /** False when this very message (same raw sha512) was received before: nothing is forwarded twice. */
  forwarded: boolean;
}

/**
 * An email to an invoice mailbox: every attachment whose root element is a UBL Invoice / CreditNote or a CII
 * CrossIndustryInvoice goes to the blob store and, as `invoice.submitted` (claim check: sha512, never the XML), to
 * erechnung over `invoices.inbound.v1`. No case is opened. Validation, Leitweg-ID resolution, duplicate flagging and
 * the reply to the sender are erechnung's (one validation point with `POST /v1/invoices`).
 */
@Injectable()
export class ForwardInvoiceEmailUseCase {
  private readonly log = new Logger('ForwardInvoiceEmail');

  constructor(
    private readonly dataSource: DataSource,
    private readonly messaging: MessagingRuntime,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(INTAKE_SETTINGS) private readonly settings: IntakeSettings,
    private readonly emails: EmailRepository,
  ) {}

  async execute(input: {
    inboundId: string;
    rawSha512: string;
    parsed: ParsedEmail;
    envelope: SmtpEnvelope;
    mailbox: MailboxEntry;
    /** DKIM/SPF/DMARC as verified on receipt: erechnung answers only a DKIM-aligned From (ADR 0016). */
    auth: SenderAuthentication;
  }): Promise<ForwardedInvoice[]> {
    const { parsed } = input;
    const found: { index: number; fileName: string; mediaType: string; syntax: InvoiceSyntax; content: Buffer }[] = [];
    const otherXml: string[] = [];
    for (const [index, a] of parsed.attachments.entries()) {
      const sniffed = sniffInvoice(a.content);
      const mediaType = safeMediaType(a.contentType);
      const fileName = safeFileName(a.fileName, index, mediaType);
      if (sniffed.kind === 'xml') otherXml.push(`'${fileName}' ({${sniffed.root.namespace ?? ''}}${sniffed.root.localName})`);
      if (sniffed.kind !== 'invoice') continue;
      // The content check every channel runs (size, declared type vs. bytes); the XML itself is erechnung's to judge.
      validateContent(
        a.content,
        { name: fileName, field: fileName, declaredMediaType: mediaType },
        { attachmentMaxBytes: this.settings.limits.attachmentMaxBytes, archives: this.settings.archives },
      );
      found.push({ index, fileName, mediaType, syntax: sniffed.syntax, content: a.content });
    }
    if (found.length === 0) {
      throw new EmailException(
        EmailErrorCode.NoInvoice,
        `mail to the invoice mailbox carries no e-invoice: no attachment is a UBL 2.1 Invoice/CreditNote or UN/CEFACT CII ` +
          `CrossIndustryInvoice XML document${otherXml.length ? `; XML attachments with other root elements: ${otherXml.join(', ')}` : ''} ` +
          `(PDFs with embedded XML, ZUGFeRD/Factur-X, are not accepted)`,
      );
    }

    const replyTo = [parsed.replyTo, parsed.from, input.envelope.mailFrom].find(isPlausibleEmail);
    const sender = isPlausibleEmail(parsed.from)
      ? { from: parsed.from.toLowerCase(), dkim: input.auth.dkim, dkimDomains: input.auth.dkimDomains.slice(0, 20) }
      : undefined;
    const receivedAt = new Date().toISOString();
    const stored: ((typeof found)[number] & { blob: StoredBlob })[] = [];
    for (const f of found) stored.push({ ...f, blob: await this.blobs.put(f.content) });

    const result = await this.dataSource.transaction(async (manager) => {
      const out: ForwardedInvoice[] = [];
      for (const f of stored) {
        const inserted = await this.emails.recordForwardedInvoice(manager, {
          submissionId: randomUUID(),
          inboundId: input.inboundId,
          rawSha512: input.rawSha512,
          attachmentIndex: f.index,
          documentSha512: f.blob.sha512,
          fileName: f.fileName,
          syntax: f.syntax,
        });
        const base = { fileName: f.fileName, syntax: f.syntax, sha512: f.blob.sha512 };
        if (!inserted) {
          const earlier = await this.emails.forwardedInvoiceSubmission(manager, input.rawSha512, f.index);
          out.push({ submissionId: earlier!, ...base, forwarded: false });
          continue;
        }
        await addToOutbox<InvoiceSubmittedV1>(manager, {
          topic: Topics.invoicesInbound,
          key: inserted,
          type: EventTypes.invoiceSubmitted,
          payload: {
            submissionId: inserted,
            channel: 'email',
            tenantArs: input.mailbox.tenantArs,
            document: { sha512: f.blob.sha512, sizeBytes: f.blob.sizeBytes, fileName: f.fileName, mediaType: f.mediaType },
            email: {
              inboundId: input.inboundId,
              rawMessageSha512: input.rawSha512,
              mailbox: input.mailbox.address,
              ...(replyTo ? { replyTo } : {}),
              ...(parsed.messageId ? { messageId: parsed.messageId.slice(0, 998) } : {}),
              ...(parsed.subject ? { subject: parsed.subject.slice(0, 998) } : {}),
              ...(sender ? { sender } : {}),
            },
            receivedAt,
          },
          correlationId: inserted,
          tenant: input.mailbox.tenantArs,
        });
        out.push({ submissionId: inserted, ...base, forwarded: true });
      }
      return out;
    });
    if (result.some((r) => r.forwarded)) this.messaging.relay.nudge();
    this.log.info('invoice email forwarded to erechnung', {
      inboundId: input.inboundId,
      invoices: result.length,
      forwarded: result.filter((r) => r.forwarded).length,
    });
    return result;
  }
}
