import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Logger, describeError } from '@poststelle/telemetry';
import { renderReportHtml, type ValidationReport } from '@poststelle/xrechnung';
import { ERECHNUNG_SETTINGS, type ErechnungSettings } from '../erechnung.config';
import { REPLY_MAILER, type ReplyMailer } from './reply-mailer';

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
 * Several instances share the work (SKIP LOCKED).
 */
@Injectable()
export class InvoiceReplyDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('InvoiceReplyDispatcher');
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(REPLY_MAILER) private readonly mailer: ReplyMailer,
    @Inject(ERECHNUNG_SETTINGS) private readonly settings: ErechnungSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let handled = 0;
      try {
        handled = await this.dispatchDue();
      } catch (error) {
        this.log.warn('invoice reply dispatch failed', describeError(error));
      }
      if (handled === 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 1000);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      }
    }
  }

  /** Sends what is due; returns how many were handled. */
  async dispatchDue(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const due = await manager.query<DueReply[]>(
        `SELECT r.invoice_id, r.recipient, r.in_reply_to, r.subject, r.body, r.attach_report, r.attempts, i.report
           FROM erechnung.invoice_replies r JOIN erechnung.inbound_invoices i USING (invoice_id)
          WHERE r.state = 'pending' AND r.next_attempt_at <= now()
          ORDER BY r.next_attempt_at LIMIT 20 FOR UPDATE OF r SKIP LOCKED`,
      );
      for (const r of due) {
        try {
          await this.mailer.send({
            to: r.recipient,
            subject: r.subject,
            text: r.body,
            messageId: `<reply-${r.invoice_id}@poststelle>`,
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
          });
          await manager.query(
            `UPDATE erechnung.invoice_replies SET state = 'sent', attempts = attempts + 1, sent_at = now(), last_error = NULL WHERE invoice_id = $1`,
            [r.invoice_id],
          );
        } catch (error) {
          const attempts = r.attempts + 1;
          const failed = attempts >= this.settings.replies.maxAttempts;
          const delayMs = Math.min(600000, this.settings.replies.retryBaseMs * 2 ** (attempts - 1));
          await manager.query(
            `UPDATE erechnung.invoice_replies SET attempts = $2, last_error = $3, state = $4, next_attempt_at = now() + ($5 || ' milliseconds')::interval
              WHERE invoice_id = $1`,
            [r.invoice_id, attempts, describeError(error).error.slice(0, 1000), failed ? 'failed' : 'pending', String(delayMs)],
          );
          // Relays quote the recipient in their errors: never log an address.
          const described = describeError(error);
          this.log.warn(failed ? 'invoice reply failed for good' : 'invoice reply send failed; will retry', {
            invoiceId: r.invoice_id,
            attempts,
            ...described,
            error: described.error.replace(/[^\s<>"'@]+@[^\s<>"'@]+/g, '<address>'),
          });
        }
      }
      return due.length;
    });
  }
}
