import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Fee notices (the service's name on the payment, the tenant's payee, the notice's blob hash), refunds, the bookings
 * statements made (so the same credit in a camt.054 and the day's camt.053 books once) and per-item duplicate
 * information. Provider credentials are encrypted by the service at start-up (it holds the key, not the migration).
 */
export class PaymentNoticeRefunds1733700000000 implements MigrationInterface {
  name = 'PaymentNoticeRefunds1733700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE payment.payments ADD COLUMN service_name text, ADD COLUMN notice_sha512 char(128)`);
    await q.query(`CREATE TABLE payment.payees (
      tenant_ars char(12) PRIMARY KEY,
      authority_name text NOT NULL,
      account_holder text NOT NULL,
      iban text NOT NULL,
      bic text,
      payment_days int NOT NULL CHECK (payment_days BETWEEN 1 AND 365),
      updated_by text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE payment.payee_audit (
      audit_id bigserial PRIMARY KEY,
      tenant_ars char(12) NOT NULL,
      actor text NOT NULL,
      previous jsonb,
      current jsonb NOT NULL,
      at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE payment.refunds (
      refund_id uuid PRIMARY KEY,
      payment_id uuid NOT NULL REFERENCES payment.payments (payment_id),
      request_id text NOT NULL,
      amount numeric(14, 5) NOT NULL CHECK (amount > 0),
      reason text NOT NULL,
      origin text NOT NULL CHECK (origin IN ('api', 'statement')),
      recorded_by text NOT NULL,
      confirmed_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (payment_id, request_id))`);
    await q.query(`CREATE TABLE payment.statement_bookings (
      import_id uuid NOT NULL,
      position text NOT NULL,
      tenant_ars char(12) NOT NULL,
      kind text NOT NULL,
      message_id text NOT NULL,
      payment_id uuid NOT NULL,
      direction text NOT NULL,
      amount numeric(14, 5) NOT NULL,
      booking_date text,
      acct_svcr_ref text,
      end_to_end_id text,
      paired_import_id uuid,
      paired_position text,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (import_id, position))`);
    await q.query(`CREATE INDEX statement_bookings_payment ON payment.statement_bookings (payment_id, direction, amount)`);
    await q.query(`ALTER TABLE payment.statement_items ADD COLUMN duplicate_of jsonb`);
    await q.query(`ALTER TABLE payment.statement_imports ADD COLUMN already_booked int NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE payment.statement_imports DROP COLUMN already_booked`);
    await q.query(`ALTER TABLE payment.statement_items DROP COLUMN duplicate_of`);
    await q.query(`DROP TABLE payment.statement_bookings, payment.refunds, payment.payee_audit, payment.payees`);
    await q.query(`ALTER TABLE payment.payments DROP COLUMN notice_sha512, DROP COLUMN service_name`);
  }
}
