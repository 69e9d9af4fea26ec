import { createHash } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InvoiceSubmittedV1, Topics, validateContract } from '@poststelle/contracts';
import { MessagingErrorCode, MessagingRuntime, NonRetriableError, type MessageContext } from '@poststelle/messaging';
import { type BlobStore } from '@poststelle/persistence';
import { BLOB_STORE } from '@poststelle/platform';
import { Logger } from '@poststelle/telemetry';
import { ReceiveInvoiceUseCase } from './receive-invoice.use-case';

/**
 * Invoices intake received by email (`invoice.submitted` on `invoices.inbound.v1`): the document is read from the
 * shared blob store by its sha512 (claim check) and goes through the same use-case as `POST /v1/invoices`, inside
 * the consumer's transaction with its inbox row, so a redelivered message changes nothing.
 */
@Injectable()
export class InboundInvoicesConsumer implements OnModuleInit {
  private readonly log = new Logger('InboundInvoicesConsumer');

  constructor(
    private readonly messaging: MessagingRuntime,
    private readonly receive: ReceiveInvoiceUseCase,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  onModuleInit(): void {
    this.messaging.addConsumer({
      groupId: 'erechnung.inbound-invoices',
      handlers: { [Topics.invoicesInbound]: (ctx) => this.handle(ctx) },
    });
  }

  async handle({ manager, envelope }: MessageContext): Promise<void> {
    const command = validateContract(InvoiceSubmittedV1, envelope.payload);
    // A missing blob is retried (the store may be briefly unavailable) and then dead-lettered: never dropped.
    const stream = await this.blobs.open(command.document.sha512);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const document = Buffer.concat(chunks);
    if (createHash('sha512').update(document).digest('hex') !== command.document.sha512) {
      throw new NonRetriableError(
        MessagingErrorCode.InvalidPayload,
        `blob ${command.document.sha512.slice(0, 16)}… does not match its sha512`,
      );
    }
    const result = await this.receive.executeIn(manager, document, {
      channel: 'email',
      submissionId: command.submissionId,
      tenantArs: command.tenantArs,
      document: command.document,
      email: command.email,
    });
    this.log.info('emailed invoice handled', {
      submissionId: command.submissionId,
      invoiceId: result.invoiceId,
      accepted: result.accepted,
    });
  }
}
