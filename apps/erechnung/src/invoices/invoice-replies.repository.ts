import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { MailAttempts } from '@poststelle/persistence';
import { type FailedAttempt } from '@poststelle/platform';
import { type ValidationReport } from '@poststelle/xrechnung';

export interface DueReply {
  invoiceId: string;
  recipient: string;
  inReplyTo: string | null;
  subject: string;
  body: string;
  attachReport: boolean;
  attempts: number;
  report: ValidationReport;
}

/** `erechnung.invoice_replies` as the dispatcher works them: due answers, taken so that instances share the work. */
@Injectable()
export class InvoiceRepliesRepository {
  /** Up to 20 due answers with their invoice's report, locked `FOR UPDATE SKIP LOCKED` in the caller's transaction. */
  due(m: EntityManager): Promise<DueReply[]> {
    return m.query<DueReply[]>(
      `SELECT r.invoice_id AS "invoiceId", r.recipient, r.in_reply_to AS "inReplyTo", r.subject, r.body, r.attach_report AS "attachReport",
              r.attempts, i.report
         FROM erechnung.invoice_replies r JOIN erechnung.inbound_invoices i USING (invoice_id)
        WHERE r.state = 'pending' AND r.next_attempt_at <= now()
        ORDER BY r.next_attempt_at LIMIT 20 FOR UPDATE OF r SKIP LOCKED`,
    );
  }

  private readonly attempts = new MailAttempts('erechnung', 'invoice_replies', 'invoice_id');

  markSent(m: EntityManager, invoiceId: string): Promise<void> {
    return this.attempts.markSent(m, invoiceId);
  }

  markAttemptFailed(m: EntityManager, invoiceId: string, f: FailedAttempt): Promise<void> {
    return this.attempts.markAttemptFailed(m, invoiceId, f);
  }
}
