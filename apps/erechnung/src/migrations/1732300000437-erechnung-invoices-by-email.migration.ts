import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Invoices received by email through intake (docs/adr/0010-invoices-by-email.md): where each invoice came from, and
 * one answer per invoice to its sender, sent after commit by the reply dispatcher.
 */
export class ErechnungInvoicesByEmail1732300000437 implements MigrationInterface {
  name = 'ErechnungInvoicesByEmail1732300000437';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE erechnung.inbound_invoices
      ADD COLUMN channel text NOT NULL DEFAULT 'http',
      ADD COLUMN submission_id uuid UNIQUE,
      ADD COLUMN source jsonb`);
    await q.query(`CREATE TABLE erechnung.invoice_replies (
      invoice_id uuid PRIMARY KEY REFERENCES erechnung.inbound_invoices(invoice_id),
      recipient text NOT NULL,
      in_reply_to text,
      subject text NOT NULL,
      body text NOT NULL,
      attach_report boolean NOT NULL,
      state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
      attempts int NOT NULL DEFAULT 0,
      last_error text,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz)`);
    await q.query(`CREATE INDEX invoice_replies_due_idx ON erechnung.invoice_replies (next_attempt_at) WHERE state = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE erechnung.invoice_replies');
    await q.query('ALTER TABLE erechnung.inbound_invoices DROP COLUMN channel, DROP COLUMN submission_id, DROP COLUMN source');
  }
}
