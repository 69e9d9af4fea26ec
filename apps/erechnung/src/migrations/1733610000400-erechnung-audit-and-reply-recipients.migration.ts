import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Access control (ADR 0016). Every change to an invoice issuer (the IBAN fee invoices ask citizens to pay into) and
 * to a Leitweg-ID destination is audited: the token's subject and client, the tenant, old and new value (the IBAN in
 * full: it is the authority's account, not a citizen's data). An answer to an emailed invoice goes only to a
 * DKIM-aligned From address or the supplier address on file; otherwise it is `withheld`, with the reason a clerk reads.
 */
export class ErechnungAuditAndReplyRecipients1733610000400 implements MigrationInterface {
  name = 'ErechnungAuditAndReplyRecipients1733610000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE erechnung.audit_log (
      id bigserial PRIMARY KEY,
      actor text NOT NULL,
      client_id text,
      tenant_ars varchar(12) NOT NULL,
      action text NOT NULL,
      entity text NOT NULL,
      entity_id text NOT NULL,
      old_value jsonb,
      new_value jsonb,
      at timestamptz NOT NULL DEFAULT now())`);
    await q.query('CREATE INDEX audit_log_tenant_idx ON erechnung.audit_log (tenant_ars text_pattern_ops)');
    await q.query(`ALTER TABLE erechnung.invoice_replies
      ADD COLUMN recipient_basis text CHECK (recipient_basis IN ('dkim-aligned-from', 'supplier-on-file')),
      ADD COLUMN withheld_reason text,
      ALTER COLUMN recipient DROP NOT NULL,
      DROP CONSTRAINT invoice_replies_state_check,
      ADD CONSTRAINT invoice_replies_state_check CHECK (state IN ('pending', 'sent', 'failed', 'withheld'))`);
    // Answers still queued were addressed to the unauthenticated Reply-To (or From): they are not sent any more.
    await q.query(`UPDATE erechnung.invoice_replies SET state = 'withheld', recipient = NULL,
      withheld_reason = 'no answer sent: queued before answers went only to authenticated senders (its address was an unverified Reply-To or From)'
      WHERE state = 'pending'`);
    await q.query(`ALTER TABLE erechnung.invoice_replies
      ADD CONSTRAINT invoice_replies_recipient_check CHECK ((state = 'withheld') = (recipient IS NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM erechnung.invoice_replies WHERE state = 'withheld'`);
    await q.query(`ALTER TABLE erechnung.invoice_replies
      DROP CONSTRAINT invoice_replies_recipient_check,
      DROP CONSTRAINT invoice_replies_state_check,
      ADD CONSTRAINT invoice_replies_state_check CHECK (state IN ('pending', 'sent', 'failed')),
      DROP COLUMN withheld_reason,
      DROP COLUMN recipient_basis,
      ALTER COLUMN recipient SET NOT NULL`);
    await q.query('DROP TABLE erechnung.audit_log');
  }
}
