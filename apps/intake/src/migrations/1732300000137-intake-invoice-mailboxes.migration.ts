import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Invoice mailboxes: a mailbox receives applications (cases) or e-invoices (forwarded to erechnung). Every invoice
 * attachment forwarded is recorded once per raw message and attachment, so the same email received twice is
 * forwarded once (docs/adr/0010-invoices-by-email.md).
 */
export class IntakeInvoiceMailboxes1732300000137 implements MigrationInterface {
  name = 'IntakeInvoiceMailboxes1732300000137';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE intake.mailboxes ADD COLUMN purpose text NOT NULL DEFAULT 'applications' CHECK (purpose IN ('applications', 'invoices'))`,
    );
    await q.query(`CREATE TABLE intake.email_invoices (
      submission_id uuid PRIMARY KEY,
      inbound_id uuid NOT NULL,
      raw_sha512 char(128) NOT NULL,
      attachment_index int NOT NULL,
      document_sha512 char(128) NOT NULL,
      file_name text NOT NULL,
      syntax text NOT NULL,
      forwarded_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (raw_sha512, attachment_index))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE intake.email_invoices');
    await q.query('ALTER TABLE intake.mailboxes DROP COLUMN purpose');
  }
}
