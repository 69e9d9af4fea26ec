import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { MAILER, PendingMailDispatcher, type FailedAttempt, type Mailer, type PendingMail } from '@poststelle/platform';
import { renderReportHtml } from '@poststelle/xrechnung';
import { ERECHNUNG_SETTINGS, type ErechnungSettings } from '../erechnung.config';
import { InvoiceRepliesRepository } from './invoice-replies.repository';

/**
 * Sends the pending answers to invoice senders (`erechnung.invoice_replies`, written in the transaction that recorded
 * the invoice) after commit. At least once: a crash between the relay's `250` and the `sent` update sends the mail
 * again with the same `Message-ID` `<reply-{invoiceId}@poststelle>`, which lets the receiving side recognise it.
 * Failures are retried with exponential backoff and kept on the row; after the last attempt the answer is `failed`.
 */
@Injectable()
export class InvoiceReplyDispatcher extends PendingMailDispatcher {
  constructor(
    dataSource: DataSource,
    @Inject(MAILER) mailer: Mailer,
    @Inject(ERECHNUNG_SETTINGS) settings: ErechnungSettings,
    private readonly replies: InvoiceRepliesRepository,
  ) {
    super('InvoiceReplyDispatcher', dataSource, mailer, settings.replies);
  }

  protected async selectDue(manager: EntityManager): Promise<PendingMail[]> {
    const due = await this.replies.due(manager);
    return due.map((r) => ({
      id: r.invoiceId,
      attempts: r.attempts,
      logContext: { invoiceId: r.invoiceId },
      mail: {
        to: r.recipient,
        subject: r.subject,
        text: r.body,
        messageId: `<reply-${r.invoiceId}@poststelle>`,
        autoSubmitted: 'auto-replied',
        ...(r.inReplyTo ? { inReplyTo: r.inReplyTo } : {}),
        ...(r.attachReport
          ? {
              attachments: [
                {
                  filename: `pruefbericht-${r.invoiceId}.html`,
                  content: renderReportHtml(r.report),
                  contentType: 'text/html; charset=utf-8',
                },
              ],
            }
          : {}),
      },
    }));
  }

  protected markSent(manager: EntityManager, id: string): Promise<void> {
    return this.replies.markSent(manager, id);
  }

  protected markAttemptFailed(manager: EntityManager, id: string, f: FailedAttempt): Promise<void> {
    return this.replies.markAttemptFailed(manager, id, f);
  }
}
