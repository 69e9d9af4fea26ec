import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { MAILER, PendingMailDispatcher, type FailedAttempt, type Mailer, type PendingMail } from '@poststelle/platform';
import { renderReportHtml, type ValidationReport } from '@poststelle/xrechnung';
import { ERECHNUNG_SETTINGS, type ErechnungSettings } from '../erechnung.config';

interface DueReply {
  invoice_id: string;
  recipient: string;
  in_reply_to: string | null;
  subject: string;
  body: string;
  attach_report: boolean;
  attempts: number;
  report: ValidationReport;
}

/**
 * Sends the pending answers to invoice senders (`erechnung.invoice_replies`, written in the transaction that recorded
 * the invoice) after commit. At least once: a crash between the relay's `250` and the `sent` update sends the mail
 * again with the same `Message-ID` `<reply-{invoiceId}@poststelle>`, which lets the receiving side recognise it.
 * Failures are retried with exponential backoff and kept on the row; after the last attempt the answer is `failed`.
 */
@Injectable()
export class InvoiceReplyDispatcher extends PendingMailDispatcher {
  constructor(dataSource: DataSource, @Inject(MAILER) mailer: Mailer, @Inject(ERECHNUNG_SETTINGS) settings: ErechnungSettings) {
    super('InvoiceReplyDispatcher', dataSource, mailer, settings.replies);
  }

  protected async selectDue(manager: EntityManager): Promise<PendingMail[]> {
    const due = await manager.query<DueReply[]>(
      `SELECT r.invoice_id, r.recipient, r.in_reply_to, r.subject, r.body, r.attach_report, r.attempts, i.report
         FROM erechnung.invoice_replies r JOIN erechnung.inbound_invoices i USING (invoice_id)
        WHERE r.state = 'pending' AND r.next_attempt_at <= now()
        ORDER BY r.next_attempt_at LIMIT 20 FOR UPDATE OF r SKIP LOCKED`,
    );
    return due.map((r) => ({
      id: r.invoice_id,
      attempts: r.attempts,
      logContext: { invoiceId: r.invoice_id },
      mail: {
        to: r.recipient,
        subject: r.subject,
        text: r.body,
        messageId: `<reply-${r.invoice_id}@poststelle>`,
        autoSubmitted: 'auto-replied',
        ...(r.in_reply_to ? { inReplyTo: r.in_reply_to } : {}),
        ...(r.attach_report
          ? {
              attachments: [
                {
                  filename: `pruefbericht-${r.invoice_id}.html`,
                  content: renderReportHtml(r.report),
                  contentType: 'text/html; charset=utf-8',
                },
              ],
            }
          : {}),
      },
    }));
  }

  protected async markSent(manager: EntityManager, id: string): Promise<void> {
    await manager.query(
      `UPDATE erechnung.invoice_replies SET state = 'sent', attempts = attempts + 1, sent_at = now(), last_error = NULL WHERE invoice_id = $1`,
      [id],
    );
  }

  protected async markAttemptFailed(manager: EntityManager, id: string, f: FailedAttempt): Promise<void> {
    await manager.query(
      `UPDATE erechnung.invoice_replies SET attempts = $2, last_error = $3, state = $4, next_attempt_at = now() + ($5 || ' milliseconds')::interval
        WHERE invoice_id = $1`,
      [id, f.attempts, f.error, f.final ? 'failed' : 'pending', String(f.nextAttemptInMs)],
    );
  }
}
